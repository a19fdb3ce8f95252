"""Who may read a dataset's data, and if not, why: the portal's one access rule.

"Data" is everything beyond the metadata: files, DataStore rows (``datastore_search``,
``datastore_info``, ``/datastore/dump``, DataTables), previews. By the dataset's open type
(DESIGN.md, "Who may read what"):

- ``unconditional`` (无条件开放): everyone, without logging in;
- ``conditional`` (有条件开放): its department (members of the owner organisation),
  sysadmins, and users holding a current grant, as told by the plugins implementing
  :class:`IDataAccessGrants` (the applications feature);
- ``non_open`` (非开放), any private dataset, and a dataset of no known open type:
  its department and sysadmins only.

Every path asks :func:`decide` (or :func:`decide_for_resource`): the chained DataStore
auth functions (``logic/auth.py``) and the guard on the download, dump and DataTables
views (``views.py``), which answers a refusal with ``Decision.message`` (403). Teams of
the SODA contests get conditional data only through a bundle, whose own policy is
``bundles/access.py``.
"""
from __future__ import annotations

from dataclasses import dataclass

import ckan.authz as authz
import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk

__all__ = ["Decision", "IDataAccessGrants", "REASONS", "current_user", "decide",
           "decide_for_resource", "in_department"]


def N_(message: str) -> str:
    """Marks a msgid for extraction; translated where it is shown (``Decision.message``)."""
    return message


#: Every refusal reason, with the message shown to the user (English msgid).
REASONS = {
    "conditional": N_("This dataset is conditionally open: its data is given only after "
                      "an approved application and a data-use agreement."),
    "not_open": N_("This dataset is not open: its data is only for its department."),
}


class IDataAccessGrants(p.Interface):
    """Grants users the data of conditionally open datasets.

    The applications feature implements this: a user whose application for a dataset
    was approved, and whose grant is current, may read its data like its department.
    Asked only for conditionally open, public datasets, and only for logged-in users
    who are neither sysadmins nor members of the dataset's department; a user may read
    the data when any implementation says so. Never consulted for non-open or private
    data.
    """

    def data_access_granted(self, user: model.User, package: model.Package) -> bool:
        """Whether ``user`` holds a current grant to the data of ``package``."""
        return False


@dataclass(frozen=True)
class Decision:
    """Whether the user may read the data; ``reason`` is a key of ``REASONS`` when not,
    ``conditions`` the dataset's own open conditions (shown after the message)."""

    can_read: bool
    reason: str | None = None
    conditions: str = ""

    @property
    def message(self) -> str | None:
        if not self.reason:
            return None
        return " ".join(filter(None, [tk._(REASONS[self.reason]), self.conditions]))


def in_department(user: model.User | None, package: model.Package) -> bool:
    """Sysadmins and members (any capacity) of the organisation publishing ``package``."""
    if user is None:
        return False
    return bool(user.sysadmin) or authz.has_user_permission_for_group_or_org(
        package.owner_org, user.name, "read")


def current_user() -> model.User | None:
    """The user of the current request; None when anonymous."""
    return tk.current_user if isinstance(tk.current_user, model.User) else None


def _granted(user: model.User, package: model.Package) -> bool:
    return any(plugin.data_access_granted(user, package)
               for plugin in p.PluginImplementations(IDataAccessGrants))


def decide(user: model.User | None, package: model.Package) -> Decision:
    """May ``user`` (None: anonymous) read the data of ``package``?"""
    open_type = None if package.private else package.extras.get("open_type")
    if open_type == "unconditional" or in_department(user, package):
        return Decision(True)
    if open_type == "conditional":
        if user is not None and _granted(user, package):
            return Decision(True)
        return Decision(False, "conditional", package.extras.get("open_conditions") or "")
    return Decision(False, "not_open")


def decide_for_resource(user: model.User | None, resource_id: str) -> Decision:
    """:func:`decide` for the dataset of a resource. A resource that does not exist
    (or a DataStore alias) is left to CKAN, which answers "not found"."""
    resource = model.Resource.get(resource_id) if resource_id else None
    if resource is None or resource.package is None:
        return Decision(True)
    return decide(user, resource.package)
