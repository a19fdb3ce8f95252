"""Our own frictionless checks, one per module as frictionless' ``checks/`` has them
(pure, no CKAN). A Table Schema asks for them with custom properties on its fields."""
from __future__ import annotations

from typing import Any

from .credit_code import credit_code_checksum

__all__ = ["checks_for", "credit_code_checksum"]


def checks_for(descriptor: dict[str, Any]) -> list[credit_code_checksum]:
    """The checks a Table Schema asks for: ``"checksum": "uscc"`` on a field."""
    return [credit_code_checksum(field_name=f["name"]) for f in descriptor.get("fields", [])
            if f.get("checksum") == "uscc"]
