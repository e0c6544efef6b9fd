"""What sop adds to CKAN (see ckanext.splpdepok.registry): the ``ckan splpdepok sop`` trace."""
from __future__ import annotations

from typing import Any

import click


def helpers() -> dict[str, Any]:
    from ckanext.splpdepok.sop import standards, steps

    def splpdepok_sop_step(number: int) -> steps.Step | None:
        return steps.STEPS.get(int(number))

    def splpdepok_sop_standard(number: int) -> str:
        return standards.standard_text(int(number))

    return {"splpdepok_sop_step": splpdepok_sop_step,
            "splpdepok_sop_standard": splpdepok_sop_standard}


def cli_commands() -> list[click.Command]:
    from ckanext.splpdepok.sop.cli import sop

    return [sop]
