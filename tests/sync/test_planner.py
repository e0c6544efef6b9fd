"""The planner alone: what a run creates, updates, withdraws, blocks; names; the share guard."""
from __future__ import annotations

from ckanext.splpdepok.sync import planner
from ckanext.splpdepok.sync.planner import LedgerState, LocalDataset
from hypothesis import given
from hypothesis import strategies as st


def local(i: int, digest: str = "h", problems: tuple[str, ...] = ()) -> LocalDataset:
    return LocalDataset(f"id{i}", f"ds-{i}", digest, "org", problems)


def synced(i: int, digest: str = "h", status: str = "synced") -> LedgerState:
    return LedgerState(f"id{i}", f"r{i}", f"ds-{i}", digest, status, f"ds-{i}")


def actions(plan: planner.Plan) -> dict[str, str]:
    return {s.package_id: s.action for s in plan.steps}


def test_first_run_creates_everything_under_prefixed_names():
    plan = planner.plan([local(1), local(2)], {}, prefix="depok-")
    assert actions(plan) == {"id1": "create", "id2": "create"}
    assert {s.remote_name for s in plan.steps} == {"depok-ds-1", "depok-ds-2"}


def test_unchanged_changed_and_failed():
    ledger = {"id1": synced(1), "id2": synced(2, "old"), "id3": synced(3, status="failed")}
    plan = planner.plan([local(1), local(2), local(3)], ledger)
    assert actions(plan) == {"id1": "unchanged", "id2": "update", "id3": "update"}
    assert [s.action for s in plan.work()] == ["update", "update"]


def test_withdraws_what_left_the_selection_and_forgets_never_created():
    ledger = {"id1": synced(1), "id2": synced(2),
              "id3": LedgerState("id3", None, None, None, "blocked", "ds-3"),
              "id4": synced(4, status="withdrawn")}
    plan = planner.plan([local(1)], ledger)
    assert actions(plan) == {"id1": "unchanged", "id2": "withdraw", "id3": "forget"}


def test_pending_create_not_selected_any_more_is_withdrawn_by_name():
    ledger = {"id1": LedgerState("id1", None, "ds-1", None, "pending", "ds-1")}
    step = planner.plan([], ledger, max_withdraw_share=1).steps[0]
    assert (step.action, step.remote_name, step.remote_id) == ("withdraw", "ds-1", None)


def test_pending_create_keeps_its_reserved_name():
    ledger = {"id1": LedgerState("id1", None, "depok-ds-1-2", None, "pending", "ds-1")}
    step = planner.plan([local(1)], ledger, prefix="depok-").steps[0]
    assert (step.action, step.remote_name) == ("create", "depok-ds-1-2")


def test_withdrawn_dataset_published_again_is_restored():
    plan = planner.plan([local(1)], {"id1": synced(1, status="withdrawn")})
    assert plan.steps[0].action == "update" and plan.steps[0].reason == "restore"


def test_problems_block_the_dataset():
    plan = planner.plan([local(1, problems=("Missing: satuan",))], {})
    assert plan.steps[0].action == "blocked" and "satuan" in plan.steps[0].reason
    assert plan.work() == []


def test_share_guard_stops_mass_withdrawal_until_confirmed():
    ledger = {f"id{i}": synced(i) for i in range(10)}
    keep = [local(i) for i in range(7)]
    guarded = planner.plan(keep, ledger, max_withdraw_share=0.2)
    assert guarded.needs_confirmation and "3 of 10" in guarded.message
    assert not planner.plan(keep, ledger, max_withdraw_share=0.3).needs_confirmation
    assert not planner.plan(keep, ledger, max_withdraw_share=0.2, confirmed=True
                            ).needs_confirmation


def test_only_failed_limits_the_run():
    ledger = {"id1": synced(1, "old"), "id2": synced(2, status="failed"),
              "id3": synced(3, status="conflict")}
    plan = planner.plan([local(1), local(2), local(3), local(4)], ledger, only_failed=True)
    assert actions(plan) == {"id2": "update", "id3": "update"}


def test_names_never_collide_within_a_target():
    ledger = {"old": LedgerState("old", "r", "ds-1", "h", "synced", "renamed")}
    plan = planner.plan([local(1), LocalDataset("idx", "DS 1", "h")], ledger)
    names = [s.remote_name for s in plan.steps if s.action == "create"]
    assert names == ["ds-1-2", "ds-1-3"]


def test_remote_name_is_cut_to_100_characters_with_suffix():
    long = "x" * 120
    assert len(planner.remote_name_for(long, "p-")) == 100
    name = planner.allocate_name(long, "p-", {planner.remote_name_for(long, "p-")})
    assert len(name) == 100 and name.endswith("-2")


@given(st.lists(st.from_regex(r"[a-z0-9-]{1,110}", fullmatch=True), max_size=30),
       st.sampled_from(["", "depok-"]))
def test_allocated_names_are_unique_and_valid(local_names, prefix):
    datasets = [LocalDataset(f"id{i}", n, "h") for i, n in enumerate(local_names)]
    names = [s.remote_name for s in planner.plan(datasets, {}, prefix=prefix).steps]
    assert len(set(names)) == len(names)
    assert all(n and len(n) <= 100 and n == n.lower() for n in names)
