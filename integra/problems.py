"""What the data rules say when they refuse something: one vocabulary for imports, editor writes and the CLI.

A refusal is always a German message for the person who tried; a `Problem` names the row and
column of a file as that person sees them. Imports raise `ImportRefused`, editor writes
`EditRefused`; pages and the command line catch `Refused` for both.
"""

from __future__ import annotations

from dataclasses import dataclass


class Refused(ValueError):
    """The data rules refuse this write or undo; the message is German and says why. Nothing changed."""


@dataclass(frozen=True)
class Problem:
    """One finding in a file: row as the user sees it (None: whole file), column header, message."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}
