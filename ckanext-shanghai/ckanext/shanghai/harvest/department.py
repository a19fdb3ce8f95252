"""The department catalogue harvester: a ckanext-harvest source type.

A source's config names the format and where the catalogue is::

    {"format": "xlsx" | "xls" | "csv" | "api", "location": "<file path or API URL>",
     "token_env": "<name of the environment variable holding the API token>"}

A file is read from the catalogue folder (``ckanext.shanghai.harvest.catalogue_folder``,
by default ``harvesters/catalogues``) and only from there: ``location`` is a path
relative to it, or an absolute path or ``file:`` URL that resolves (links and ``..``
followed) inside it. The API's token never lives in the config: ``token_env`` names an
environment variable (one that ``ckanext.shanghai.harvest.token_env_vars`` allows),
read at gather time. Both are checked when the source is saved and again when it is
harvested.

*gather* reads the whole catalogue once (a file cannot be read an entry at a time
per harvest object without reading it n times) and stores each entry, as JSON,
in one harvest object: status ``new``, ``change`` or ``duplicate``, and a content
hash. An entry whose hash equals the previous run's, with its dataset still active,
is recorded as "not modified" and never queued: that is what makes a re-harvest
cheap. The objects are committed together only after the catalogue was read to the
end, so an unreadable source fails its job and touches nothing. Entries of the
previous run that are gone get a ``delete`` object: they are withdrawn.
*fetch* has nothing left to fetch. *import* maps the entry (:mod:`ckanext.shanghai.harvest.mapping`)
and creates or updates the dataset, returns ``"unchanged"`` when the content hash
equals that of the entry's current object (objects queued again) unless the
import is forced (``ckan harvester import`` re-applies the mapping), and otherwise records a
``HarvestObjectError`` naming file, sheet, row, field and what was expected.
"""
from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit
from urllib.request import url2pathname

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

import harvesters
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectExtra
from ckanext.shanghai.portal.domains import configured_domain_table

from . import access
from .mapping import MappingError, dataset_name, map_entry
from .readers import FORMATS, CatalogueEntry, CatalogueReadError, read
from .readers.api import token_from_env

log = logging.getLogger(__name__)

SOURCE_TYPE = "shanghai_department"


def parse_config(text: str | None) -> dict[str, Any]:
    """The source config as a dict; ``ValueError`` saying what is wrong (a location
    outside the catalogue folder, a credential in the config …)."""
    try:
        config = json.loads(text or "{}")
    except ValueError as e:
        raise ValueError(f"config is not JSON: {e}") from e
    if not isinstance(config, dict):
        raise ValueError("config must be a JSON object")
    if config.get("format") not in FORMATS:
        raise ValueError(f"config.format must be one of {', '.join(FORMATS)}")
    if not isinstance(config.get("location"), str) or not config["location"]:
        raise ValueError("config.location must name the catalogue file or API URL")
    secrets = access.secret_keys(config)
    if secrets:
        raise ValueError(f"config.{secrets[0]} is a credential, which a source config may not hold: keep the "
                         "token in an environment variable and name that variable in config.token_env")
    token_env = config.get("token_env")
    if token_env is not None and token_env not in tk.config.get("ckanext.shanghai.harvest.token_env_vars"):
        raise ValueError("config.token_env must name an environment variable that "
                         "ckanext.shanghai.harvest.token_env_vars allows")
    _location(config)
    return config


def catalogue_folder() -> Path:
    """The folder catalogue files are read from, links resolved."""
    return Path(tk.config.get("ckanext.shanghai.harvest.catalogue_folder") or harvesters.CATALOGUES).resolve()


def _location(config: dict[str, Any]) -> str:
    """The API's URL, or the catalogue file's path: inside the catalogue folder once
    links and ``..`` are resolved, else ``ValueError``."""
    location = config["location"].strip()
    scheme = urlsplit(location).scheme.lower()
    if config["format"] == "api":
        if scheme not in ("http", "https"):
            raise ValueError("config.location of an api source must be an http(s) URL")
        return location
    if scheme == "file":
        parts = urlsplit(location)
        if parts.netloc not in ("", "localhost"):
            raise ValueError("config.location must be a file in the catalogue folder")
        location = url2pathname(parts.path)
    elif "://" in location:
        raise ValueError("config.location of a file source must be a file in the catalogue folder, not a URL")
    folder = catalogue_folder()
    path = (folder / location).resolve()
    if not path.is_relative_to(folder):
        # the same words whatever is there: the answer must not tell what exists outside
        raise ValueError("config.location must be a file in the catalogue folder")
    return str(path)


class Previous(NamedTuple):
    """What the previous run left for one entry."""

    package_id: str | None
    content_hash: str | None
    state: str | None


def _extras(obj: HarvestObject) -> dict[str, str]:
    return {e.key: e.value for e in obj.extras}


class DepartmentCatalogueHarvester(HarvesterBase):
    """Harvests one department's 政务信息资源目录 (xlsx or xls, CSV or the JSON API).

    The harvester only: plugin ``shanghai_department_harvester``
    (:mod:`ckanext.shanghai.harvest.plugin`) is this class with the portal's hooks.
    """

    #: set by ckanext-harvest's harvest_objects_import: import the next object even if unchanged
    force_import = False

    # IHarvester

    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": "部门政务信息资源目录 / Department catalogue",
            "description": "A department's data-resource catalogue: .xlsx or .xls, CSV, or the catalogue system's API.",
            "form_config_interface": "Text",
        }

    def validate_config(self, config: str | None) -> str:
        # ckanext-harvest's validator turns the ValueError into the config field's error
        parse_config(config)
        return config or ""

    def contacted_urls(self, url: str | None, config: str | None) -> list[str]:
        """The addresses a source of this type fetches (for the hosts allow-list,
        :func:`ckanext.shanghai.harvest.access.change_refusal`): the API's, not the ``url`` shown."""
        try:
            parsed = json.loads(config or "{}")
        except ValueError:
            return []  # validate_config refuses it
        if isinstance(parsed, dict) and parsed.get("format") == "api" and isinstance(parsed.get("location"), str):
            return [parsed["location"]]
        return []

    def get_original_url(self, harvest_object_id: str) -> str | None:
        obj = HarvestObject.get(harvest_object_id)
        try:
            return parse_config(obj.source.config)["location"] if obj else None
        except ValueError:
            return None  # a config refused since: the job's gather error says why

    def gather_stage(self, harvest_job: HarvestJob) -> list[str] | None:
        source = harvest_job.source
        try:
            config = parse_config(source.config)
        except ValueError as e:
            self._save_gather_error(f"{source.title or source.id}: {e}", harvest_job)
            return None
        # guid → (dataset id, content hash, dataset state) of the previous run's entries
        extra = sa.orm.aliased(HarvestObjectExtra)
        previous: dict[str, Previous] = {row[0]: Previous(*row[1:]) for row in model.Session.query(
            HarvestObject.guid, HarvestObject.package_id, extra.value, model.Package.state).outerjoin(
            extra, sa.and_(extra.harvest_object_id == HarvestObject.id, extra.key == "content_hash")).outerjoin(
            model.Package, model.Package.id == HarvestObject.package_id).filter(
            HarvestObject.current.is_(True), HarvestObject.harvest_source_id == source.id)}
        objects: list[HarvestObject] = []
        seen: dict[str, str] = {}
        try:
            token = token_from_env(config["location"], config.get("token_env"))
            reader = read(config["format"], _location(config), token=token)
            for entry in reader:
                objects.append(self._object(harvest_job, entry, seen, previous))
            if getattr(reader, "not_modified", False):
                return []
        except CatalogueReadError as e:
            model.Session.rollback()
            self._save_gather_error(f"目录无法读取，已有数据集未作改动 / catalogue unreadable, existing "
                                    f"datasets left as they are: {e}", harvest_job)
            return None
        for guid in sorted(set(previous) - set(seen)):
            withdrawn = HarvestObject(id=str(uuid.uuid4()), guid=guid, job=harvest_job,
                                      package_id=previous[guid].package_id, source=source)
            model.Session.add(withdrawn)
            model.Session.add(HarvestObjectExtra(object=withdrawn, key="status", value="delete"))
            objects.append(withdrawn)
        model.Session.commit()
        # Unchanged entries are complete already: only the others go to the fetch queue.
        return [o.id for o in objects if o.state != "COMPLETE"]

    def _object(self, job: HarvestJob, entry: CatalogueEntry, seen: dict[str, str],
                previous: dict[str, Previous]) -> HarvestObject:
        code = entry.code
        guid = code or f"no-code:{entry.location}"
        status = "change" if guid in previous else "new"
        extras = {"content_hash": entry.content_hash()}
        if code and code in seen:
            status = "duplicate"
            extras["first_location"] = seen[code]
            guid = f"{code}#duplicate:{entry.location}"
        elif code:
            seen[code] = str(entry.location)
        before = previous.get(guid)
        if status == "change" and before is not None and before.content_hash == extras["content_hash"] \
                and before.state == "active":
            # The cheap skip of a re-harvest: same content, dataset still there. The
            # object records it (report_status "not modified") without being queued.
            obj = HarvestObject(id=str(uuid.uuid4()), guid=guid, job=job, source=job.source,
                                package_id=before.package_id, state="COMPLETE", report_status="not modified")
            model.Session.add(obj)
            model.Session.add(HarvestObjectExtra(object=obj, key="status", value="unchanged"))
            return obj
        extras["status"] = status
        obj = HarvestObject(id=str(uuid.uuid4()), guid=guid, job=job, source=job.source,
                            content=json.dumps(entry.to_json(), ensure_ascii=False))
        model.Session.add(obj)
        for key, value in extras.items():
            model.Session.add(HarvestObjectExtra(object=obj, key=key, value=value))
        return obj

    def fetch_stage(self, harvest_object: HarvestObject) -> bool:
        # gather stored the whole entry already
        return True

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        obj = harvest_object
        extras = _extras(obj)
        # ckanext-harvest's harvest_objects_import (`ckan harvester import`) sets force_import
        # on the harvester before each object, its run_test on the object: one import each.
        forced = self.force_import or getattr(obj, "force_import", False)
        self.force_import = False
        previous = _previous_object(obj, extras, forced)
        context: dict[str, Any] = {"user": self._get_user_name(), "ignore_auth": True}
        if extras.get("status") == "delete":
            return self._withdraw(obj, previous, context)
        entry = CatalogueEntry.from_json(json.loads(obj.content))
        if extras.get("status") == "duplicate":
            self._save_object_error(
                f"{entry.location}, 字段 信息资源代码 (code) “{entry.code}”: 信息资源代码重复，首次出现于 "
                f"{extras.get('first_location')} / field code “{entry.code}”: duplicate catalogue code, first "
                f"at {extras.get('first_location')} [duplicate_code]", obj, "Import")
            return False
        if not forced and _unchanged(previous, extras):
            return "unchanged"
        try:
            # A harvest source is a dataset; its organisation is the department.
            owner_org = model.Session.query(model.Package.owner_org).filter(
                model.Package.id == obj.harvest_source_id).scalar()
            data = map_entry(entry, owner_org=owner_org or "", domains=configured_domain_table())
        except MappingError as e:
            for problem in e.problems:
                self._save_object_error(problem.describe(e.location), obj, "Import")
            return False
        package = _existing_package(entry, previous)
        owner = _other_owner(obj, package) if package is not None and previous is None else None
        if owner is not None:
            self._save_object_error(
                f"{entry.location}, 字段 信息资源代码 (code) “{entry.code}”: 该代码已由另一采集源采集 / field code "
                f"“{entry.code}”: already harvested from another source ({owner}) [code_taken]", obj, "Import")
            return False
        if previous is not None:
            # The new object takes over from the previous one (as ckanext-harvest's
            # own harvesters do); the previous one is restored if the update fails.
            previous.current = False
            model.Session.flush()
        try:
            result = _save_package(context, data, package)
        except tk.ValidationError as e:
            model.Session.rollback()
            if previous is not None:
                previous.current = True  # the old version stays the current one
                model.Session.commit()
            fields = "; ".join(f"{k}: {v}" for k, v in e.error_dict.items())
            self._save_object_error(f"{entry.location}: 数据集未通过校验 / the dataset was refused: {fields} "
                                    "[invalid_dataset]", obj, "Import")
            return False
        obj.package_id = result["id"]
        obj.current = True
        model.Session.commit()
        return True

    def _withdraw(self, obj: HarvestObject, previous: HarvestObject | None, context: dict[str, Any]) -> bool:
        """An entry gone from the catalogue: delete its dataset (CKAN keeps it as
        state=deleted, so the record and its history remain)."""
        package_id = obj.package_id or (previous.package_id if previous else None)
        if package_id and model.Package.get(package_id) is not None:
            tk.get_action("package_delete")(dict(context), {"id": package_id})
        if previous is not None:
            previous.current = False
        obj.current = False
        model.Session.commit()
        return True


def _previous_object(obj: HarvestObject, extras: dict[str, str], forced: bool) -> HarvestObject | None:
    """The current object of the same entry from an earlier run, if any."""
    if extras.get("status") == "new" and not forced:
        # gather found no current object for a "new" entry's guid: no need to look again
        return None
    return model.Session.query(HarvestObject).filter(
        HarvestObject.guid == obj.guid, HarvestObject.harvest_source_id == obj.harvest_source_id,
        HarvestObject.current.is_(True), HarvestObject.id != obj.id).first()


def _unchanged(previous: HarvestObject | None, extras: dict[str, str]) -> bool:
    """Whether the entry is the one already imported into a still active dataset."""
    if previous is None or not previous.package_id \
            or _extras(previous).get("content_hash") != extras.get("content_hash"):
        return False
    package = model.Package.get(previous.package_id)
    return package is not None and package.state == "active"


def _existing_package(entry: CatalogueEntry, previous: HarvestObject | None) -> model.Package | None:
    """The dataset the entry updates: the previous object's, or one of its name."""
    package_id = previous.package_id if previous else None
    # A run killed between package_create and marking its object current left a
    # dataset no object points at: find it by its name, which the code fixes.
    package_id = package_id or model.Session.query(model.Package.id).filter(
        model.Package.name == dataset_name(entry.code)).scalar()
    return model.Session.get(model.Package, package_id) if package_id else None


def _other_owner(obj: HarvestObject, package: model.Package) -> str | None:
    """The id of another harvest source whose current object holds ``package``."""
    owner = model.Session.query(HarvestObject.harvest_source_id).filter(
        HarvestObject.package_id == package.id, HarvestObject.current.is_(True)).first()
    if owner is not None and owner[0] != obj.harvest_source_id:
        return owner[0]
    return None


def _save_package(context: dict[str, Any], data: dict[str, Any], package: model.Package | None) -> dict[str, Any]:
    """Create the dataset, or update ``package`` in place (keeping its resource's id)."""
    if package is None:
        return tk.get_action("package_create")(dict(context), data)
    data["id"] = package.id
    data["state"] = "active"
    existing = [r for r in package.resources]
    if existing and data.get("resources"):
        data["resources"][0]["id"] = existing[0].id
    return tk.get_action("package_update")(dict(context), data)
