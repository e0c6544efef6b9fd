"""Two (or eight) simultaneous ``splpdepok_target_create`` calls with one name, over real
concurrent HTTP connections to the live portal: one wins, every other one answers 409 with a
message on ``name``, none 500."""
from __future__ import annotations

import threading

import requests

from tests.hardening.conftest import Portal

CALLERS = 8


def test_simultaneous_creates_with_one_name(portal: Portal) -> None:
    barrier = threading.Barrier(CALLERS)
    answers: list[requests.Response] = []
    lock = threading.Lock()

    def create() -> None:
        session = requests.Session()
        session.get(portal.server.url + "/api/3/action/status_show", timeout=60)  # connected
        barrier.wait(60)
        response = session.post(
            portal.server.url + "/api/3/action/splpdepok_target_create",
            headers={"Authorization": portal.tokens["sysadmin"] or ""},
            json={"name": "balapan", "type": "harvest", "url": "http://127.0.0.1:9"},
            timeout=120)
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=create) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert len(answers) == CALLERS
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] + [409] * (CALLERS - 1), codes
    for response in answers:
        if response.status_code == 409:
            assert response.json()["error"]["name"], response.text
    assert "Traceback" not in portal.new_log()
    listed = requests.get(portal.server.url + "/api/3/action/splpdepok_target_list",
                          headers={"Authorization": portal.tokens["sysadmin"] or ""}).json()
    assert [t["name"] for t in listed["result"]].count("balapan") == 1
