"""What the engine gives back: a :class:`Result` with frictionless-shaped errors, or
:class:`BadInput` when the file cannot be validated at all (pure, no CKAN)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class BadInput(Exception):
    """The file cannot be validated at all; the message says why (English and Chinese)."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


@dataclass
class Result:
    """What a validation found: frictionless-shaped errors, in frictionless' order."""

    rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    #: True when more errors were found than kept (the rest of the file was not read).
    truncated: bool = False
    engine: str = "vectorised"
    encoding: str | None = None
    format: str = "csv"
    #: The vectorised engine's exception when frictionless stood in for it (a fault of
    #: ours: the user gets frictionless' report, tests fail on it); kept out of the report.
    fault: str | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "rows": self.rows, "error_count": len(self.errors),
                "truncated": self.truncated, "engine": self.engine,
                "encoding": self.encoding, "format": self.format, "errors": self.errors}
