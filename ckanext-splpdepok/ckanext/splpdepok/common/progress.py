"""Progress for long CLI work: one click progress bar per phase, made once the phase knows its
length (sync of a target, SPLP publication of a plan, import from the old portal).

No CKAN import. Use it as the ``progress`` callback of a run: ``bar(done, total)`` for one phase,
or ``bar(done, total, phase)`` when the work has several.
"""
from __future__ import annotations

from types import TracebackType
from typing import Any

import click


class ProgressBars:
    """Bars on stderr (stdout stays for the report or JSON), labelled per phase."""

    def __init__(self, label: str, phases: dict[str, str] | None = None) -> None:
        self.label, self.phases = label, phases or {}
        self.bar: Any = None
        self.phase: str | None = None
        self.shown = 0

    def __call__(self, done: int, total: int, phase: str = "") -> None:
        if self.bar is None or phase != self.phase:
            self.close()
            self.phase, self.shown = phase, 0
            self.bar = click.progressbar(length=max(total, 1),
                                         label=self.phases.get(phase, phase or self.label),
                                         show_pos=True, file=click.get_text_stream("stderr"))
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
