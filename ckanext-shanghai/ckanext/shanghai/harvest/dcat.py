"""Districts publishing DCAT: ckanext-dcat's ``dcat_rdf`` harvester, read into our schema.

:class:`ShanghaiDCATProfile` is the RDF profile (entry point ``shanghai_dcat`` of
``ckan.rdf.profiles``, set by ``ckanext.dcat.rdf.profiles``) that turns a
``dcat:Dataset`` into a dataset dict of ``schemas/dataset.yaml``:

==========================  ====================================================
``dct:identifier``          ``catalogue_code`` (the identity: name ``cat-<code>``)
``dct:title``/``dct:description``  ``title``/``notes`` (Chinese or untagged), ``*_en``
``dcat:theme``              ``data_domain``: a theme whose URI ends in a domain code,
                            or whose ``skos:prefLabel`` (or literal) is a class name
                            of ``schemas/classification_domains.yaml``
``dct:accrualPeriodicity``  ``update_frequency``: EU frequency authority, Dublin Core
                            ``cld/freq``, or a Chinese cycle (每月 …)
``dct:accessRights``        ``open_type``: EU access rights (PUBLIC, RESTRICTED,
                            NON_PUBLIC) or a Chinese open type (有条件开放 …)
``dct:rights``              ``open_conditions`` (its ``rdfs:label``)
``dct:issued``/``modified``  ``release_date``/``last_updated``; ``dct:temporal`` the coverage
``dcat:keyword``, ``dcat:contactPoint``  tags, contact name and email
``dcat:distribution``       resources (download URL, else access URL; format; size)
==========================  ====================================================

A value the profile cannot map is passed on as written, so the dataset's validation
refuses it with the field's name and its allowed values, and the harvest object
error says so; the other datasets of the catalogue still import.

:class:`DistrictDCATHarvester` (plugin ``shanghai_dcat_harvester``) is ckanext-dcat's
harvester with what our portal needs on top (see its docstring).
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from ckanext.dcat.harvesters import DCATRDFHarvester
from ckanext.dcat.profiles import DCAT, DCT, SKOS, RDFProfile
from ckanext.harvest.model import HarvestObject
from ckanext.shanghai.common import vocabulary
from ckanext.shanghai.portal.domains import configured_domain_table

from .mapping import dataset_name, domain_of, parse_date

log = logging.getLogger(__name__)

#: local names of the EU frequency authority and of Dublin Core's cld/freq → update_frequency
FREQUENCIES = {
    "cont": "realtime", "update_cont": "realtime", "continuous": "realtime",
    "1min": "realtime", "5min": "realtime", "10min": "realtime", "15min": "realtime",
    "30min": "realtime", "hourly": "realtime",
    "daily": "daily", "daily_2": "daily",
    "weekly": "weekly", "weekly_2": "weekly", "weekly_3": "weekly",
    "monthly": "monthly", "monthly_2": "monthly", "monthly_3": "monthly",
    "quarterly": "quarterly",
    "annual_2": "semiannual", "semiannual": "semiannual",
    "annual": "annual",
    "irreg": "irregular", "irregular": "irregular", "as_needed": "irregular",
}
#: local names of the EU access-right authority → open_type
ACCESS_RIGHTS = {"public": "unconditional", "restricted": "conditional", "non_public": "non_open"}


def _local_name(node: Any) -> str:
    """The last segment of a URI (``…/frequency/MONTHLY`` → ``monthly``)."""
    return str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower()


def _date(value: str) -> str:
    """An ISO date for a date or date-time literal (any time zone); anything else as written."""
    for candidate in (value, value.split("T")[0].split(" ")[0]):
        try:
            return parse_date(candidate).isoformat()
        except ValueError:
            pass
    return value


class ShanghaiDCATProfile(RDFProfile):
    """Parses DCAT (DCAT-AP or a district's own vocabulary) into our dataset schema."""

    def _texts(self, subject: Any, predicate: Any) -> tuple[str, str]:
        """(Chinese or untagged text, English text) of a possibly multilingual property."""
        found: dict[str, str] = {}
        for value in self.g.objects(subject, predicate):
            lang = (value.language or "").lower() if isinstance(value, Literal) else ""
            key = "zh" if lang.startswith("zh") else "en" if lang.startswith("en") else lang and "other"
            found.setdefault(key, str(value).strip())
        text = found.get("zh") or found.get("") or found.get("en") or found.get("other", "")
        return text, found.get("en", "")

    def _labels(self, node: Any) -> list[str]:
        """A literal itself, or the labels of a concept (skos:prefLabel, rdfs:label)."""
        if isinstance(node, Literal):
            return [str(node)]
        return [str(label) for predicate in (SKOS.prefLabel, RDFS.label)
                for label in self.g.objects(node, predicate)]

    def _vocabulary(self, subject: Any, predicate: Any, uris: Mapping[str, str],
                    labels: Mapping[str, str]) -> str:
        """The vocabulary code of a property given as a URI of ``uris``' local names or a
        label in ``labels``; the value as written when neither knows it, "" when absent."""
        node = self._object(subject, predicate)
        if node is None:
            return ""
        if isinstance(node, URIRef) and _local_name(node) in uris:
            return uris[_local_name(node)]
        written = self._labels(node)
        for label in written:
            if label.strip() in labels:
                return labels[label.strip()]
        return written[0] if written else str(node)

    def _domain(self, dataset_ref: Any) -> str:
        domains = configured_domain_table()
        first = ""
        for theme in self.g.objects(dataset_ref, DCAT.theme):
            if isinstance(theme, URIRef) and _local_name(theme) in domains.codes:
                return _local_name(theme)
            for label in self._labels(theme):
                domain = domain_of(label, domains=domains)
                if domain:
                    return domain
                first = first or label
            first = first or str(theme)
        return first

    def _resource(self, distribution: Any) -> dict[str, Any]:
        name, name_en = self._texts(distribution, DCT.title)
        description, _ = self._texts(distribution, DCT.description)
        media_type, label = self._distribution_format(distribution)
        url = self._object_value(distribution, DCAT.downloadURL) or \
            self._object_value(distribution, DCAT.accessURL)
        resource: dict[str, Any] = {"name": name or name_en or label or url, "url": url,
                                    "format": (label or "").upper(), "description": description}
        if media_type:
            resource["mimetype"] = media_type
        size = self._object_value_int(distribution, DCAT.byteSize)
        if size is not None:
            resource["size"] = size
        if isinstance(distribution, URIRef):
            # ckanext-dcat matches a dataset's resources on update by this
            resource["uri"] = str(distribution)
        return resource

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> dict[str, Any]:
        title, title_en = self._texts(dataset_ref, DCT.title)
        notes, notes_en = self._texts(dataset_ref, DCT.description)
        code = self._object_value(dataset_ref, DCT.identifier).strip()
        open_type = self._vocabulary(dataset_ref, DCT.accessRights, ACCESS_RIGHTS,
                                     vocabulary.spellings("open_type"))
        start, end = self._time_interval(dataset_ref, DCT.temporal, dcat_ap_version=2)
        contacts = self._contact_details(dataset_ref, DCAT.contactPoint)
        rights = self._object(dataset_ref, DCT.rights)
        values = {
            "title": title, "title_en": title_en, "notes": notes, "notes_en": notes_en,
            "catalogue_code": code,
            "data_domain": self._domain(dataset_ref),
            "update_frequency": self._vocabulary(dataset_ref, DCT.accrualPeriodicity,
                                                 FREQUENCIES, vocabulary.spellings("update_frequency")),
            "open_type": open_type,
            "open_conditions": " ".join(self._labels(rights)) if rights is not None else "",
            "release_date": _date(self._object_value(dataset_ref, DCT.issued)),
            "last_updated": _date(self._object_value(dataset_ref, DCT.modified)),
            "temporal_start": _date(start or ""), "temporal_end": _date(end or ""),
            "contact_name": contacts[0]["name"] if contacts else "",
            "contact_email": contacts[0]["email"] if contacts else "",
            "license_id": self._license(dataset_ref) or vocabulary.licence_for(open_type) or "",
        }
        dataset_dict.update({key: value for key, value in values.items() if value})
        if code:
            dataset_dict["name"] = dataset_name(code)
        dataset_dict["private"] = open_type == "non_open"
        # CKAN's tags have at least two characters
        dataset_dict["tags"] = [{"name": k} for k in dict.fromkeys(self._keywords(dataset_ref)) if len(k) >= 2]
        dataset_dict["resources"] = [self._resource(d) for d in self._distributions(dataset_ref)]
        # ckanext-dcat appends the harvest guid here; the URI is that guid when there is one
        dataset_dict["extras"] = [{"key": "uri", "value": str(dataset_ref)}] \
            if isinstance(dataset_ref, URIRef) else []
        return dataset_dict


class DistrictDCATHarvester(DCATRDFHarvester):
    """ckanext-dcat's ``dcat_rdf`` harvester, for our portal.

    It replaces the ``dcat_rdf_harvester`` plugin under the same source type with
    three differences: it finds an existing dataset even when it is private (a
    non-open one: ckanext-dcat asks ``package_show`` with no user, which fails on a
    worker); it brings back a withdrawn dataset that reappears in the catalogue (it
    would otherwise be updated but stay deleted); and it skips the update of a
    dataset whose parsed form is the same as at its last successful import, unless
    the import is forced, so that a re-harvest is cheap. The last two are
    :func:`before_update`, which plugin ``shanghai_dcat_harvester``
    (:mod:`ckanext.shanghai.harvest.plugin`) hooks into ckanext-dcat's import.
    """

    def _get_existing_dataset(self, guid: str) -> dict[str, Any] | None:
        found = self._read_datasets_from_db(guid)
        if not found:
            return None
        if len(found) > 1:
            log.error("Found more than one dataset with the guid %s", guid)
        context = {"user": self._get_user_name(), "ignore_auth": True}
        return tk.get_action("package_show")(context, {"id": found[0][0]})


def before_update(harvester: DistrictDCATHarvester, harvest_object: HarvestObject,
                  dataset_dict: dict[str, Any]) -> None:
    """Before ckanext-dcat updates an existing dataset: revive a withdrawn one, and
    empty ``dataset_dict`` (ckanext-dcat's "unchanged") when the object's content is
    that of the last successful import and the import is not forced."""
    package = model.Session.get(model.Package, dataset_dict["id"])
    if package is not None and package.state != "active":
        dataset_dict["state"] = "active"
        return
    # ckanext-harvest's harvest_objects_import sets force_import before each object
    forced, harvester.force_import = harvester.force_import, False
    last = model.Session.execute(
        sa.select(HarvestObject.content)
        .where(HarvestObject.guid == harvest_object.guid,
               HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
               HarvestObject.id != harvest_object.id,
               HarvestObject.state == "COMPLETE")
        .order_by(HarvestObject.import_finished.desc()).limit(1)).scalar()
    if package is not None and not forced and last == harvest_object.content:
        # ckanext-dcat returns "unchanged" for an emptied dict, without pointing the
        # object at its dataset: that is ours to do.
        harvest_object.package_id = package.id
        harvest_object.add()
        dataset_dict.clear()
