"""Fixtures shared by the search tests."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.model as model
import pytest
import sqlalchemy as sa


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """The SQL statements the database receives while the test runs."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = model.Session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", record)
