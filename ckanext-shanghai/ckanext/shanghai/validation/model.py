"""The validation report of each resource (table made by this plugin's migrations).

One row per resource: the latest validation. Reading the status from here (instead of
writing it into the resource) keeps validation from creating dataset revisions.
"""
from __future__ import annotations

import datetime
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["Report", "SHOWN_KEYS", "STATUSES"]

#: pending: queued; running: being validated; success: valid; failure: the data breaks
#: the schema; error: the file could not be validated (bad input, no schema …).
STATUSES = ("pending", "running", "success", "failure", "error")

#: Keys added to every shown resource from its report; never stored with the resource.
SHOWN_KEYS = ("validation_status", "validation_timestamp", "validation_rows",
              "validation_error_count", "validation_schema", "validation_message")


def now() -> datetime.datetime:
    """UTC without tzinfo, as CKAN stores times."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class Report(tk.BaseModel):
    """The latest validation of one resource."""

    __tablename__ = "shanghai_validation_report"

    resource_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    schema_name: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    #: What was validated (see runner.source_of): an update that changes none of it,
    #: such as the DataStore setting ``datastore_active``, is not validated again.
    source: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    created: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False, default=now)
    started: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    finished: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    rows: Mapped[int | None] = mapped_column(sa.BigInteger)
    error_count: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    message: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    message_zh: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    #: the error list: loaded only when asked for (a dataset shown loads all its reports)
    report: Mapped[dict[str, Any]] = mapped_column(postgresql.JSONB, nullable=False, default=dict,
                                                   deferred=True)
    datastore_rows: Mapped[int | None] = mapped_column(sa.BigInteger)

    @classmethod
    def get(cls, resource_id: str) -> Report | None:
        return model.Session.get(cls, resource_id)

    @classmethod
    def running(cls) -> list[Report]:
        return list(model.Session.scalars(sa.select(cls).where(cls.status == "running")))

    @classmethod
    def for_package(cls, package_id: str) -> list[Report]:
        return list(model.Session.scalars(sa.select(cls).where(cls.package_id == package_id)))

    @classmethod
    def delete_for_package(cls, package_id: str) -> None:
        model.Session.execute(sa.delete(cls).where(cls.package_id == package_id))

    @classmethod
    def delete_for_resource(cls, resource_id: str) -> None:
        model.Session.execute(sa.delete(cls).where(cls.resource_id == resource_id))

    def summary(self) -> dict[str, Any]:
        """What a resource shows: status, time, counts (no error list)."""
        return {
            "validation_status": self.status,
            "validation_timestamp": (self.finished or self.created).isoformat(),
            "validation_rows": self.rows,
            "validation_error_count": self.error_count,
            "validation_schema": self.schema_name,
            "validation_message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        """The whole report, as the show action returns it."""
        return {
            "resource_id": self.resource_id, "package_id": self.package_id,
            "status": self.status, "schema": self.schema_name,
            "created": self.created.isoformat(),
            "started": self.started.isoformat() if self.started else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "rows": self.rows, "error_count": self.error_count,
            "message": self.message, "message_zh": self.message_zh,
            "report": self.report, "datastore_rows": self.datastore_rows,
        }
