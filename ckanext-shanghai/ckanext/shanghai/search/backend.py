"""CKAN's search index and package query, implemented on PostgreSQL.

CKAN looks search classes up in ``ckan.lib.search._INDICES`` / ``_QUERIES``;
:func:`install` puts these there, so ``package_search``, the dataset and
organisation pages, facets and ``ckan search-index rebuild`` use them unchanged.
"""
from __future__ import annotations

import contextlib
import contextvars
import copy
import dataclasses
import datetime
import hashlib
import heapq
import json
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import ckan.lib.navl.dictization_functions as df
import ckan.lib.plugins as lib_plugins
import ckan.lib.search as search
import ckan.lib.search.index as search_index
import ckan.lib.search.query as search_query
import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
import numpy
import psycopg2.errors
import sqlalchemy as sa
from ckan.lib.search.common import SearchError, SearchIndexError, SearchQueryError
from ckan.lib.search.query import MAGIC_FIELD_RE, QUERY_PARSER_RE, VALID_SOLR_PARAMETERS
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import operators

from . import compiler, document, parser
from .model import (
    FACET_COUNT_DIMENSIONS,
    FACET_FIELDS,
    facet_code,
    facet_counts,
    facet_values,
    generation,
    table,
)
from .tokens import Variants

log = logging.getLogger(__name__)

#: The options this module reads (declared in ``config_declaration.yaml``).
_TIMEOUT = "ckanext.shanghai.search.statement_timeout"
_MAX_START = "ckanext.shanghai.search.max_start"
_RELAX = "ckanext.shanghai.search.relax"
_RANK_WINDOW = "ckanext.shanghai.search.rank_window"
_TOTALS = "ckanext.shanghai.search.facet_totals"
#: The shortest statement timeout a search statement is run with (milliseconds).
_MIN_STATEMENT_MS = 50

#: The minimum-should-match of the last search in this context when it had to
#: relax its words to a ranked OR (``compiler.relaxed_query``), else None.
_relaxed: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "shanghai_search_relaxed", default=None)


def variants() -> Variants:
    """The synonym and variant switches of the config."""
    return Variants(
        synonyms=tk.config.get("ckanext.shanghai.search.synonyms"),
        traditional=tk.config.get("ckanext.shanghai.search.traditional"),
        pinyin=tk.config.get("ckanext.shanghai.search.pinyin"),
    )


def last_relaxed() -> int | None:
    """The minimum-should-match if the last search here was relaxed, else None."""
    return _relaxed.get()

#: Runs one statement of a search within its time budget (see ``_time_limited``).
_Execute = Callable[[sa.Executable], sa.Result[Any]]


class PackageSearchIndex(search.PackageSearchIndex):
    """Writes datasets to the index table in the caller's transaction, so an
    index row is committed exactly when the dataset change is."""

    def index_package(self, pkg_dict: dict[str, Any] | None,
                      defer_commit: bool = False) -> None:
        if pkg_dict is None:
            return None
        pkg_dict = dict(pkg_dict)
        validated = pkg_dict.pop("with_custom_schema")
        if tk.config.get("ckan.search.remove_deleted_packages") and \
                pkg_dict.get("state") in (None, "deleted"):
            return self.delete_package(pkg_dict)

        doc = document.flatten(pkg_dict, validated, _vocabulary_names(pkg_dict))
        # As Solr's index does: the configured extra resource fields, one list each.
        resources = validated.get("resources") or pkg_dict.get("resources") or []
        for key in tk.config.get("ckan.extra_resource_fields"):
            doc["res_extras_" + key] = [r.get(key) or "" for r in resources]
        # As in CKAN's Solr index, plugins see (and may amend, like ckanext-harvest
        # does) the JSON that package_show and package_search will serve.
        doc["data_dict"] = json.dumps(pkg_dict)
        doc["validated_data_dict"] = json.dumps(validated, cls=df.MissingNullEncoder)
        doc["site_id"] = tk.config.get("ckan.site_id")
        doc["index_id"] = hashlib.md5(
            f"{pkg_dict['id']}{doc['site_id']}".encode()).hexdigest()
        for plugin in p.PluginImplementations(p.IPackageController):
            doc = plugin.before_dataset_index(doc)
        data_dict, validated_data_dict = doc.pop("data_dict"), doc.pop("validated_data_dict")
        dataset = model.Package.get(pkg_dict["id"])
        labels = lib_plugins.get_permission_labels().get_dataset_labels(
            dataset) if dataset else []
        fields = document.index_fields(doc)
        texts = document.weighted_texts(doc)
        tags = compiler.search_vector_expression({"D": document.tag_texts(doc)}, variants())

        row = {
            "id": pkg_dict["id"],
            "name": pkg_dict["name"],
            "title": (pkg_dict.get("title") or "").strip(),
            "state": pkg_dict.get("state"),
            "private": bool(pkg_dict.get("private")),
            "dataset_type": pkg_dict.get("type"),
            "organization": doc.get("organization"),
            "metadata_created": pkg_dict.get("metadata_created"),
            "metadata_modified": pkg_dict.get("metadata_modified"),
            "permission_labels": labels,
            "fields": fields,
            "facet_values": facet_values(fields),
            "search_vector": compiler.search_vector_expression(texts, variants()),
            "tag_vector": tags,
            "rank_vector": compiler.search_vector_expression(
                {"A": texts["A"]}, variants()).op("||", return_type=postgresql.TSVECTOR)(tags),
            "quality": next(map(compiler.stored_number, fields.get("quality", [])), None),
            "data_dict": data_dict,
            "validated_data_dict": validated_data_dict,
            "indexed_at": sa.func.now(),
        }
        statement = postgresql.insert(table).values(row)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.id],
            set_={k: statement.excluded[k] for k in row if k != "id"})
        try:
            model.Session.execute(statement)
        except sa.exc.SQLAlchemyError as e:
            raise SearchIndexError(f"could not index dataset {pkg_dict['id']}: {e}") from e

    def delete_package(self, pkg_dict: dict[str, Any]) -> None:
        ref = pkg_dict.get("id")
        model.Session.execute(
            sa.delete(table).where(sa.or_(table.c.id == ref, table.c.name == ref)))

    def commit(self) -> None:
        model.Session.commit()

    def clear(self) -> None:
        model.Session.execute(sa.delete(table))
        model.Session.commit()


def _vocabulary_names(pkg_dict: dict[str, Any]) -> dict[str, str]:
    """The names of the vocabularies of the dataset's tags, by id: Solr's index
    files a vocabulary's tags under ``vocab_<name>``, which ``tag_show`` and facets ask."""
    ids = {t["vocabulary_id"] for t in pkg_dict.get("tags") or [] if t.get("vocabulary_id")}
    if not ids:
        return {}
    rows = model.Session.execute(
        sa.select(model.Vocabulary.id, model.Vocabulary.name).where(model.Vocabulary.id.in_(ids)))
    return {row.id: row.name for row in rows}


def check_parameter_types(params: dict[str, Any]) -> None:
    """Refuses, with CKAN's validation error, ``package_search`` parameters that
    CKAN's schema lets through with a type that CKAN or this backend cannot use."""
    errors: dict[str, list[str]] = {}
    fl, fq_list = params.get("fl"), params.get("fq_list")
    if fl is not None and not isinstance(fl, str) and not _is_strings(fl):
        errors["fl"] = [tk._("Must be a string or a list of strings")]
    if fq_list is not None and not _is_strings(fq_list):
        errors["fq_list"] = [tk._("Must be a list of strings")]
    if errors:
        raise tk.ValidationError(errors)


def _is_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_query_parser(param: str, value: Any) -> None:
    """CKAN's own guard on every search parameter, with its messages: no magic fields,
    and local parameters only at the start, of a parser the site allows
    (``ckan.search.solr_allowed_query_parsers``)."""
    if not isinstance(value, str):
        return
    value = value.strip()
    if MAGIC_FIELD_RE.search(value):
        raise SearchQueryError(f"Magic fields are not supported in param '{param}'.")
    found = QUERY_PARSER_RE.findall(value)
    if not found:
        return
    if len(found) > 1:
        raise SearchQueryError(f"Query parsers are not supported in param '{param}'.")
    if not value.startswith("{!"):
        raise SearchQueryError(
            f"Local parameters must be defined at the beginning of param '{param}'.")
    if search_query._get_local_query_parser(value) not in tk.config.get(
            "ckan.search.solr_allowed_query_parsers"):
        raise SearchQueryError(f"Local parameters are not supported in param '{param}'.")


def _local_query(text: str, param: str) -> parser.Node:
    """A query that starts with local parameters of an allowed parser (checked by
    :func:`_check_query_parser`). Of Solr's parsers, ``bool`` (``must``, ``filter``,
    ``must_not``, ``should``) and ``lucene`` (``q.op``; with ``OR`` the words of the
    query side by side become alternatives) are understood; the others need Solr."""
    end = text.rindex("}") + 1
    kind = search_query._get_local_query_parser(text)
    pairs = [part for part in search_query._parse_local_params(text[:end])
             if isinstance(part, list) and part[0] != "type"]
    rest = text[end:]
    if kind == "lucene":
        node = _parse(rest, param)
        if dict(pairs).get("q.op", "AND").upper() == "OR" and isinstance(node, parser.And):
            node = parser.Or(node.children)
        return node
    if kind == "bool":
        required: list[parser.Node] = [_parse(rest, param)] if rest.strip() else []
        optional: list[parser.Node] = []
        for key, value in pairs:
            clause = _parse(value, param)
            if key in ("must", "filter"):
                required.append(clause)
            elif key == "must_not":
                required.append(parser.Not(clause))
            elif key == "should":
                optional.append(clause)
        if optional:
            required.append(optional[0] if len(optional) == 1 else parser.Or(tuple(optional)))
        return parser.And(tuple(required)) if required else parser.MatchAll()
    raise SearchQueryError(
        f"Local parameters of the {kind!r} query parser are not supported by this search "
        f"backend in param '{param}' (it understands bool and lucene).")


def _parse(text: str, param: str) -> parser.Node:
    if text.strip().startswith("{!"):
        return _local_query(text.strip(), param)
    try:
        if param == "q" and ":" not in text:
            # CKAN hands such queries to Solr's forgiving dismax parser.
            return parser.parse_lenient(text)
        return parser.parse(text)
    except parser.QuerySyntaxError as e:
        raise SearchQueryError(f"Invalid {param}: {e}") from e


def _compile(node: parser.Node, param: str) -> compiler.CompiledQuery:
    try:
        return compiler.compile_query(node, table, variants=variants())
    except parser.QuerySyntaxError as e:
        raise SearchQueryError(f"Invalid {param}: {e}") from e


def _check_limit(count: int, option: str, what: str) -> None:
    """Refuses a search with more of ``what`` than the limit ``option`` allows."""
    limit = tk.config.get(option)
    if count > limit:
        raise SearchQueryError(tk._(
            "Too many {what} in one search: {count}; q, fq and fq_list together may "
            "have at most {limit} ({option})").format(
                what=what, count=count, limit=limit, option=option))


def _timed_out(budget: int) -> SearchQueryError:
    return SearchQueryError(tk._(
        "The search took longer than the limit of {limit} ms ({option}); "
        "narrow the query").format(limit=budget, option=_TIMEOUT))


@contextlib.contextmanager
def _time_limited(free_text: bool) -> Iterator[_Execute]:
    """Runs the statements of one search in a savepoint, within one time budget.

    Before each statement PostgreSQL's ``statement_timeout`` is set, for the
    transaction only, to what is left of ``ckanext.shanghai.search.statement_timeout``;
    the first such call also sets the search's planner settings (``_SETTINGS``), in
    the same round trip. The searches only read, so the savepoint is always rolled
    back: that undoes the settings, and after a timeout it leaves the request's
    transaction usable.
    """
    budget = tk.config.get(_TIMEOUT)
    deadline = time.monotonic() + budget / 1000
    settings = {**_SETTINGS, **(_FREE_TEXT_SETTINGS if free_text else {})}

    def execute(statement: sa.Executable) -> sa.Result[Any]:
        left = math.ceil((deadline - time.monotonic()) * 1000)
        # Never a timeout so short that the savepoint's own rollback, which runs
        # under it, could be cancelled on a busy machine.
        if left < _MIN_STATEMENT_MS:
            raise _timed_out(budget)
        calls = [sa.func.set_config(name, value, True) for name, value in
                 {"statement_timeout": f"{left}ms", **settings}.items()]
        settings.clear()
        model.Session.execute(sa.select(*calls))
        return model.Session.execute(statement)

    savepoint = model.Session.begin_nested()
    try:
        yield execute
    except sa.exc.OperationalError as e:
        if isinstance(e.orig, psycopg2.errors.QueryCanceled):
            raise _timed_out(budget) from e
        raise
    finally:
        try:
            savepoint.rollback()
        except sa.exc.OperationalError as e:
            # Cancelled all the same: give up the request's transaction rather
            # than answer a 500; the search itself is still a 400.
            model.Session.rollback()
            if not isinstance(e.orig, psycopg2.errors.QueryCanceled):
                raise


#: Planner settings of every search: JIT compiling costs more than a search's few
#: thousand rows gain from it; the matches, materialised with their facet values and
#: sorted once (``_summarise``), stay in memory rather than spill to a temporary file,
#: up to the whole of an index of 200,000 datasets (45 MB: the landing page, 240 ->
#: 210 ms there).
_SETTINGS = {"jit": "off", "work_mem": "64MB"}
#: And of a search with free text: the GIN index always serves it, but PostgreSQL
#: misjudges a tsquery of many lexemes (synonyms, the relaxed OR) and would rather
#: scan the table, reading every dataset's TOASTed vector.
_FREE_TEXT_SETTINGS = {"enable_seqscan": "off"}


def _int(query: dict[str, Any], key: str, default: int) -> int:
    value = query.get(key, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SearchQueryError(f'"{key}" must be an integer, got {value!r}') from None


def _field_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.replace(",", " ").split()
    return [str(v) for v in value or []]


def _facet_names(query: dict[str, Any]) -> list[str]:
    names = query.get("facet.field") or []
    if isinstance(names, str):
        try:
            names = json.loads(names)
        except ValueError:
            names = [names]
    if not _is_strings(names) or not all(map(parser.is_field_name, names)):
        raise SearchQueryError(f'Invalid facet.field: {names!r} is not a list of field names')
    return names


def _stored_value(key: str, values: list[str]) -> Any:
    """A field's values as Solr returns them: a list for multi-valued fields."""
    if key in document.MULTI_VALUED or key.startswith("res_extras_") or len(values) > 1:
        return values
    return values[0]


def _solr_date(moment: datetime.datetime | None) -> str:
    """A date as Solr stores and returns it: UTC, milliseconds without trailing zeros."""
    if moment is None:
        return ""
    millis = f".{moment.microsecond // 1000:03d}".rstrip("0").rstrip(".")
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + millis + "Z"


#: Answers to searches, newest last, each with the minimum-should-match it was
#: relaxed to (or None); see ``_cache_key``. Bounded: a few MB per process.
_answers: OrderedDict[str, tuple[int, list[Any], dict[str, dict[str, int]], int | None]] = \
    OrderedDict()
_MAX_ANSWERS = 256


def clear_cache() -> None:
    """Forget every cached answer of this process: the benchmark measures searches
    both as computed and as answered from the cache."""
    _answers.clear()


def _cache_key(query: dict[str, Any], q: str, filters: list[str],
               permission_labels: list[str] | None) -> str | None:
    """The cache key of a search, or None for a search not cached.

    Every search is cached (the landing page, its filters, and frequent free-text
    queries alike), except date math (``NOW``), whose answer changes by itself.
    The key holds every parameter, the caller's permission labels (so a user never
    gets an answer computed for other labels, and a membership change is a new
    key) and the index generation, which a trigger bumps on every write to the
    index: a dataset created, updated, deleted or made private is a new generation.
    The generation comes from a sequence, so a number seen in a transaction that
    was rolled back is never used again.

    The generation is read on its own, before the search's savepoint and time
    budget: a one-row read, so a cached answer costs one round trip.  Read first,
    it can only make an answer newer than its key, never older.
    """
    if any("NOW" in text for text in (q, *filters)):
        return None
    current = model.Session.execute(sa.select(generation.c.value)).scalar_one()
    labels = None if permission_labels is None else sorted(permission_labels)
    # The options that change answers without a write to the index.
    options = [variants(), *(tk.config.get(option) for option in (
        "ckanext.shanghai.search.weights", _RELAX, _RANK_WINDOW))]
    return json.dumps([current, labels, query, options], sort_keys=True, default=str)


class PackageSearchQuery(search.PackageSearchQuery):
    """Answers CKAN's Solr-style package queries from the index table."""

    facets: dict[str, dict[str, int]]
    results: list[Any]  # the documents, or only their ids / names when fl asks for just that

    def get_all_entity_ids(self, max_results: int = 1000) -> list[str]:
        rows = model.Session.execute(
            sa.select(table.c.id).where(table.c.state == "active").limit(max_results))
        return [r[0] for r in rows]

    def get_index(self, reference: str) -> dict[str, Any]:
        """The stored document, as Solr's would be (``search.show``): every indexed
        field, the two JSON dicts, and ``metadata_modified`` in Solr's form, which
        ``package_show`` compares to decide whether the stored dict is current."""
        row = model.Session.execute(
            sa.select(table.c.id, table.c.name, table.c.metadata_modified, table.c.fields,
                      table.c.data_dict, table.c.validated_data_dict)
            .where(sa.or_(table.c.id == reference, table.c.name == reference))
        ).first()
        if row is None:
            raise SearchError(f"Dataset not found in the search index: {reference}")
        fields: dict[str, list[str]] = row.fields
        stored = {key: _stored_value(key, values) for key, values in fields.items()}
        stored.update({
            "id": row.id, "name": row.name,
            "metadata_modified": _solr_date(row.metadata_modified),
            "data_dict": row.data_dict, "validated_data_dict": row.validated_data_dict,
        })
        return stored

    def run(self, query: dict[str, Any], permission_labels: list[str] | None = None,
            **kwargs: Any) -> dict[str, Any]:
        _relaxed.set(None)
        unknown = set(query.keys()) - VALID_SOLR_PARAMETERS
        if unknown:
            raise SearchQueryError(f"Invalid search parameters: {sorted(unknown)}")

        for param, value in query.items():
            for item in value if isinstance(value, list) else [value]:
                _check_query_parser(param, item)

        q = query.get("q")
        if not q or q in ('""', "''"):
            q = "*:*"
        # (parameter, text): errors name the parameter the text came in
        fq = query.get("fq")
        filters = [("fq", f) for f in ([fq] if isinstance(fq, str) else list(fq or []))]
        filters.extend(("fq_list", f) for f in query.get("fq_list") or [])
        if not any("+state:" in f for _, f in filters):
            filters.append(("fq", "+state:active"))

        rows = max(_int(query, "rows", 10), 0)
        start = max(_int(query, "start", 0), 0)
        max_start = tk.config.get(_MAX_START)
        if start > max_start:
            raise SearchQueryError(tk._(
                '"start" may be at most {limit} ({option}); narrow the search instead '
                "of paging this deep").format(limit=max_start, option=_MAX_START))
        # Parsing takes time too: the text is bounded first.
        _check_limit(len(q) + sum(len(f) for _, f in filters),
                     "ckanext.shanghai.search.max_query_length", tk._("characters"))
        q_node = _parse(q, "q")
        fq_nodes = [(param, _parse(f, param)) for param, f in filters if f.strip()]
        cost = sum((compiler.query_cost(node, variants())
                    for node in [q_node, *(node for _, node in fq_nodes)]),
                   compiler.Cost())
        # The most specific limit first: wildcards are terms too.
        _check_limit(cost.wildcards, "ckanext.shanghai.search.max_wildcards", tk._("wildcard terms"))
        _check_limit(cost.ranges, "ckanext.shanghai.search.max_ranges", tk._("ranges"))
        _check_limit(cost.terms, "ckanext.shanghai.search.max_terms", tk._("search terms"))

        q_compiled = _compile(q_node, "q")
        conditions = [_compile(node, param).where for param, node in fq_nodes]
        if permission_labels is not None:
            conditions.append(table.c.permission_labels.op("&&")(
                sa.cast(sa.literal(list(permission_labels)),
                        postgresql.ARRAY(sa.UnicodeText))))
        exact_title = q_node.value if isinstance(q_node, parser.Term) and q_node.field is None \
            else None
        weights = [float(w) for w in tk.config.get("ckanext.shanghai.search.weights")]
        sort = query.get("sort") or "score desc, metadata_modified desc"
        fl = _field_list(query.get("fl") or "name")
        facet_names = _facet_names(query)

        key = _cache_key(query, q, [f for _, f in filters], permission_labels)
        if not self._recall(key):
            facets = _FacetRequest.of(query, facet_names)
            with _time_limited(q_compiled.tsquery is not None) as execute:
                plan = _Plan(sort, weights, exact_title, rows, start)
                orders, where, summary = self._match(
                    execute, q_node, q_compiled, conditions, plan, facets)
                self.count = summary.count
                # Nothing matches: no page to sort.
                self.results = self._results(
                    execute, where, orders, summary.head, rows, start,
                    fl) if self.count else []
                self.facets = summary.facets if summary.facets is not None else \
                    self._facets(execute, facets, where, self.count)
                self._remember(key)
        if fl in (["id"], ["name"]):
            self.results = [r.get(fl[0]) for r in self.results]
        return {"results": self.results, "count": self.count}

    def _recall(self, key: str | None) -> bool:
        """The cached answer under ``key`` (see ``_cache_key``), if there is one."""
        if key is None or key not in _answers:
            return False
        _answers.move_to_end(key)
        self.count, self.results, self.facets, relaxed = copy.deepcopy(_answers[key])
        _relaxed.set(relaxed)
        return True

    def _remember(self, key: str | None) -> None:
        if key is None:
            return
        _answers[key] = copy.deepcopy((self.count, self.results, self.facets, _relaxed.get()))
        if len(_answers) > _MAX_ANSWERS:
            _answers.popitem(last=False)

    def _match(self, execute: _Execute, q_node: parser.Node, q_compiled: Any,
               conditions: list[Any], plan: _Plan, facets: _FacetRequest | None,
               ) -> tuple[list[tuple[list[Any], sa.ColumnElement[Any]]],
                          sa.ColumnElement[bool], _Summary]:
        """Count the matches of ``q`` under the filters (with what else one pass over
        them gives, see ``_summarise``); when none match and relaxing is on, relax
        ``q`` to a ranked OR (the filters and permission labels stay) and say so.
        Returns the orders of the ``q`` used (``_Plan.orders``), the whole condition
        and the summary."""
        where = sa.and_(q_compiled.where, *conditions)
        orders = plan.orders(q_compiled)  # compiles the sort: a bad one is a 400
        summary = _summed(execute, q_node, conditions, facets) or \
            _summarise(execute, where, plan.head_order(orders), facets)
        relaxed = compiler.relaxed_query(q_node, table, variants()) \
            if summary.count == 0 and tk.config.get(_RELAX) else None
        if relaxed is None:
            return orders, where, summary
        q_compiled, minimum = relaxed
        where = sa.and_(q_compiled.where, *conditions)
        orders = plan.orders(q_compiled)
        summary = _summarise(execute, where, plan.head_order(orders), facets)
        if summary.count:
            _relaxed.set(minimum)
        return orders, where, summary

    def _results(self, execute: _Execute, where: sa.ColumnElement[bool],
                 orders: list[tuple[list[Any], sa.ColumnElement[Any]]],
                 head: list[str] | None, rows: int, start: int,
                 fl: list[str]) -> list[dict[str, Any]]:
        """The page of results. ``orders`` is the sort with its rank, or, for a
        score sort of free text, that and the cheap first order (``_windowed``,
        whose first ids in that order ``_summarise`` gave as ``head``)."""
        if rows == 0:
            return []
        columns = _page_columns(fl)
        if len(orders) == 1:
            (order, rank), = orders
            statements = [sa.select(*columns, rank.label("score"))
                          .where(where).order_by(*order).limit(rows).offset(start)]
        else:
            statements = _windowed(where, orders, columns, head or [], rows, start)
        return [self._project(row, fl) for stmt in statements for row in execute(stmt)]

    @staticmethod
    def _project(row: Any, fl: list[str]) -> dict[str, Any]:
        fields: dict[str, list[str]] = row.fields if "fields" in row._fields else {}
        columns: dict[str, Callable[[], Any]] = {
            "id": lambda: row.id,
            "data_dict": lambda: row.data_dict,
            "validated_data_dict": lambda: row.validated_data_dict,
            "score": lambda: float(row.score),
        }
        wanted = list(fields) + list(columns) if "*" in fl else fl
        out: dict[str, Any] = {}
        for key in wanted:
            if key in columns:
                out[key] = columns[key]()
            elif key in fields:
                out[key] = _stored_value(key, fields[key])
        return out

    def _facets(self, execute: _Execute, request: _FacetRequest | None,
                where: sa.ColumnElement[bool], matches: int) -> dict[str, dict[str, int]]:
        """Facets on fields outside ``FACET_FIELDS``, from the wide ``fields`` (those
        of ``FACET_FIELDS`` come with the count, from ``_summarise``)."""
        if request is None:
            return {}
        facets: dict[str, dict[str, int]] = {name: {} for name in request.names}
        if not request.names or not matches:
            return facets
        matching = sa.select(table.c.id, table.c.fields).where(where).cte("matching")
        field = sa.func.unnest(sa.cast(sa.literal(list(request.names)),
                                       postgresql.ARRAY(sa.UnicodeText))
                               ).table_valued("name").render_derived()
        # A value repeated in one dataset (two CSV resources) counts it once.
        count = sa.func.count(sa.distinct(matching.c.id))
        element = sa.func.jsonb_array_elements_text(
            matching.c.fields.op("->")(field.c.name)).table_valued("value").render_derived()
        counted = (sa.select(field.c.name, element.c.value, count.label("n"),
                             sa.func.row_number().over(
                                 partition_by=field.c.name,
                                 order_by=(count.desc(), element.c.value)).label("pos"))
                   .select_from(matching).join(field, sa.true()).join(element, sa.true())
                   .group_by(field.c.name, element.c.value)
                   .having(count >= request.mincount)).subquery()
        stmt = sa.select(counted.c.name, counted.c.value, counted.c.n).order_by(
            counted.c.name, counted.c.pos)
        if request.limit >= 0:
            stmt = stmt.where(counted.c.pos <= request.limit)
        for row in execute(stmt):
            facets[row.name][row.value] = row.n
        return facets


@dataclasses.dataclass(frozen=True)
class _FacetRequest:
    """The facets a search asks for: field names, ``facet.limit``, ``facet.mincount``."""

    names: tuple[str, ...]
    limit: int
    mincount: int

    @classmethod
    def of(cls, query: dict[str, Any], names: list[str]) -> _FacetRequest | None:
        """None when the search asks for no facets (``facet=false``)."""
        if str(query.get("facet", "true")).lower() == "false":
            return None
        return cls(tuple(names), _int(query, "facet.limit", tk.config.get("search.facets.limit")),
                   max(_int(query, "facet.mincount", 1), 1))

    @property
    def narrow(self) -> bool:
        """Whether every field is counted from the narrow ``facet_codes``."""
        return set(self.names) <= FACET_FIELDS


@dataclasses.dataclass(frozen=True)
class _Plan:
    """The sort of one search and which of its orders are needed, given its ``q``."""

    sort: str
    weights: list[float]
    exact_title: str | None
    rows: int
    start: int

    def orders(self, q: compiler.CompiledQuery) -> list[tuple[list[Any], sa.ColumnElement[Any]]]:
        """The sort with its rank, and for a relevance sort of free text also the
        cheap first order with its rank (see ``_windowed``)."""
        windowed = q.tsquery is not None and _score_first(self.sort)
        ranks = [compiler.rank_expression(table, q.tsquery, self.weights,
                                          exact_title=self.exact_title, head=head)
                 for head in ((False, True) if windowed else (False,))]
        try:
            return [(compiler.compile_sort(self.sort, table, rank), rank) for rank in ranks]
        except parser.QuerySyntaxError as e:
            raise SearchQueryError(str(e)) from e

    def head_order(self, orders: list[tuple[list[Any], sa.ColumnElement[Any]]],
                   ) -> list[Any] | None:
        """Of ``orders`` (what ``orders`` gave), the cheap first order when the page
        needs the first ids in it, else None."""
        if len(orders) == 1 or self.rows == 0 or self.start >= tk.config.get(_RANK_WINDOW):
            return None
        return orders[1][0]


@dataclasses.dataclass(frozen=True)
class _Summary:
    """What one pass over the matches gives: their count, the facets on
    ``FACET_FIELDS`` (None when they must be counted from ``fields``), and the ids
    of the first ``rank_window`` matches in the cheap first order (None when not
    asked for)."""

    count: int
    facets: dict[str, dict[str, int]] | None
    head: list[str] | None


def _summarise(execute: _Execute, where: sa.ColumnElement[bool],
               head_order: list[Any] | None, request: _FacetRequest | None) -> _Summary:
    """Count the matches, their facets and the first of them in ``head_order`` in
    one statement, over one materialised read of the matches' narrow in-row columns:
    each part alone would read the matches' heap pages again (20,000-33,000 rows of
    a common word at 200,000 datasets). The first are picked by a top-N sort on the
    order's keys, kept as columns of the read: sorting every match, as a window
    over them would, cost ~30 ms more for 30,000. The facets come as the matches'
    ``facet_codes`` concatenated, counted here (``_counted_codes``)."""
    narrow = request is not None and request.narrow and bool(request.names)
    columns: list[Any] = [table.c.id]
    if narrow:
        columns.append(table.c.facet_codes)
    # The key of each item of the order, a column of the read (the id is one already).
    keys: list[tuple[str, Callable[[Any], Any]]] = []
    for n, order in enumerate(head_order or []):
        expression, wrap = _sort_key(order)
        name = "id" if expression is table.c.id else f"key_{n}"
        if name != "id":
            columns.append(expression.label(name))
        keys.append((name, wrap))
    matching = sa.select(*columns).where(where).cte("matching").prefix_with("MATERIALIZED")
    parts: list[Any] = [sa.select(sa.func.count()).select_from(matching)
                        .scalar_subquery().label("matches")]
    if head_order is not None:
        first = (sa.select(matching.c.id)
                 .order_by(*(wrap(matching.c[name]) for name, wrap in keys))
                 .limit(tk.config.get(_RANK_WINDOW)).subquery())
        parts.append(sa.select(sa.func.array_agg(first.c.id)).scalar_subquery().label("head"))
    if narrow:
        parts.append(sa.select(sa.func.string_agg(
            matching.c.facet_codes, sa.literal(b"", sa.LargeBinary))).scalar_subquery()
            .label("codes"))
    row = execute(sa.select(*parts)).one()
    facets: dict[str, dict[str, int]] | None = None
    if request is None or not request.names:
        facets = {}
    elif narrow:
        assert request is not None
        facets = _top_facets(request, _counted_codes(execute, request, row.codes))
    return _Summary(row.matches, facets, row.head if head_order is not None else None)


def _sort_key(order: Any) -> tuple[Any, Callable[[Any], Any]]:
    """One ``ORDER BY`` item split into its expression and what re-applies its
    direction and NULLs placement to another column."""
    modifiers = []
    while isinstance(order, sa.UnaryExpression) and order.modifier in _ORDER_MODIFIERS:
        modifiers.append(_ORDER_MODIFIERS[order.modifier])
        order = order.element

    def wrap(column: Any) -> Any:
        for modifier in reversed(modifiers):
            column = modifier(column)
        return column

    return order, wrap


#: The modifiers an ``ORDER BY`` item may carry (``compiler.compile_sort``'s).
_ORDER_MODIFIERS: dict[Any, Callable[[Any], Any]] = {
    operators.desc_op: sa.desc, operators.asc_op: sa.asc,
    operators.nulls_first_op: sa.nulls_first, operators.nulls_last_op: sa.nulls_last,
}


def _counted_codes(execute: _Execute, request: _FacetRequest,
                   codes: bytes | None) -> list[tuple[str, int]]:
    """The ``field:value`` pairs of ``request``'s fields among ``codes`` (the
    matches' ``facet_codes`` concatenated: 4-byte big-endian codes, each once per
    dataset) with how many datasets have each, at least ``mincount``. Counting
    ~300,000 codes takes numpy ~2 ms (by sorting: memory bounded by the codes, not by
    the highest one), grouping them PostgreSQL ~30 ms."""
    distinct, n = numpy.unique(numpy.frombuffer(codes or b"", dtype=">i4"), return_counts=True)
    counts = dict(zip(distinct.tolist(), n.tolist(), strict=True))
    present = [code for code, count in counts.items() if count >= request.mincount]
    if not present:
        return []
    # One row of two arrays: ~500 rows cost the driver more than the statement.
    found = execute(sa.select(sa.func.array_agg(facet_code.c.code).label("codes"),
                              sa.func.array_agg(facet_code.c.pair).label("pairs")).where(
        facet_code.c.code == sa.any_(sa.cast(sa.literal(present),
                                             postgresql.ARRAY(sa.Integer))),
        _of_fields(facet_code.c.pair, request.names))).one()
    return [(pair, counts[code]) for code, pair in zip(found.codes or (), found.pairs or (),
                                                        strict=True)]


def _of_fields(pair: sa.ColumnElement[str], names: Iterable[str]) -> sa.ColumnElement[bool]:
    """Whether ``pair`` (``field:value``) is of one of the fields ``names``."""
    return sa.func.split_part(pair, ":", 1) == sa.any_(
        sa.cast(sa.literal(list(names)), postgresql.ARRAY(sa.UnicodeText)))


def _top_facets(request: _FacetRequest,
                counted: Iterable[tuple[str, int]]) -> dict[str, dict[str, int]]:
    """CKAN's facets from ``field:value`` pairs and their counts: every field of
    ``request``, in order, with its top ``limit`` values by count and then value
    (code point order, as Solr's index order), each counted at least ``mincount``."""
    entries: dict[str, list[tuple[int, str]]] = {name: [] for name in request.names}
    for pair, n in counted:
        name, _, value = pair.partition(":")
        if name in entries and n >= request.mincount:
            entries[name].append((-n, value))
    return {name: {value: -n for n, value in (
        heapq.nsmallest(request.limit, found) if request.limit >= 0 else sorted(found))}
        for name, found in entries.items()}


def _summed(execute: _Execute, q_node: parser.Node, conditions: list[Any],
            request: _FacetRequest | None) -> _Summary | None:
    """The count and facets of a search that matches everything under filters on
    the visibility columns only, summed from the counts the database keeps
    (``model.facet_counts``); None for any other search, or when the option
    ``ckanext.shanghai.search.facet_totals`` is off."""
    if not tk.config.get(_TOTALS) or not isinstance(q_node, parser.MatchAll) or (
            request is not None and not request.narrow):
        return None
    where = _on_facet_counts(sa.and_(sa.true(), *conditions))
    if where is None:
        return None
    n = sa.func.sum(facet_counts.c.n)
    wanted = (facet_counts.c.pair == "") | _of_fields(
        facet_counts.c.pair, request.names if request is not None else ())
    counted = [(row.pair, int(row.n)) for row in execute(
        sa.select(facet_counts.c.pair, n.label("n")).where(where, wanted)
        .group_by(facet_counts.c.pair).having(n > 0))]
    matches = next((count for pair, count in counted if pair == ""), 0)
    facets = {} if request is None else _top_facets(request, counted)
    return _Summary(matches, facets, None)


def _on_facet_counts(where: sa.ColumnElement[bool]) -> sa.ColumnElement[bool] | None:
    """``where`` (a condition on the index table) as the same condition on the facet
    counts, or None when it reads anything but their visibility columns (a field
    of ``fields``, the text, a subquery): it must hold for every dataset of a
    combination of those columns alike."""
    for element in sa.sql.visitors.iterate(where):
        if isinstance(element, sa.ColumnClause):
            if element.table is not table or element.name not in FACET_COUNT_DIMENSIONS:
                return None
        elif isinstance(element, sa.FromClause) and element is not table:
            return None

    def counted(element: Any, **kw: Any) -> Any:
        if isinstance(element, sa.ColumnClause) and element.table is table:
            return facet_counts.c[element.name]
        return None

    return sa.sql.visitors.replacement_traverse(where, {}, counted)


def _score_first(sort: str) -> bool:
    """Whether ``sort`` sorts by relevance first (CKAN's default for a text query)."""
    return sort.split(",")[0].split() == ["score", "desc"]


def _page_columns(fl: list[str]) -> list[sa.Column[Any]]:
    """The index columns a page's ``fl`` reads: the stored JSON asked for, and the
    wide ``fields`` only for other fields (CKAN asks for ``id`` and one of the JSON)."""
    every = "*" in fl
    columns = [table.c.id]
    if every or set(fl) - {"id", "score", "data_dict", "validated_data_dict"}:
        columns.append(table.c.fields)
    columns.extend(table.c[name] for name in ("data_dict", "validated_data_dict")
                   if every or name in fl)
    return columns


def _windowed(where: sa.ColumnElement[bool],
              orders: list[tuple[list[Any], sa.ColumnElement[Any]]],
              columns: list[sa.Column[Any]], first_ids: list[str], rows: int,
              start: int) -> list[sa.Select[Any]]:
    """The statements of one page of a relevance-sorted search (their rows in
    order, one after the other), ranking only a window of the matches on the whole,
    TOASTed ``search_vector``.

    Every match is first ordered by the in-row ``rank_vector`` (title and tags),
    then quality and the rest of the sort; the first ``rank_window`` of that order
    (``first_ids``, from ``_summarise``) are ranked in full and sorted by the real
    sort; the matches beyond the window follow in the cheap order. The order is one
    and the same for every page, so paging is consistent. Within the window the
    order is exactly the full ranking's; a dataset matched only in its description
    or resources may be beyond the window, behind one matched in its title or tags.
    """
    (order, rank), (head_order, head) = orders
    window = tk.config.get(_RANK_WINDOW)
    statements = []
    if start < window:
        ranked = (sa.select(table.c.id, rank.label("score"),
                            sa.func.row_number().over(order_by=order).label("pos"))
                  .where(table.c.id == sa.any_(sa.cast(sa.literal(first_ids),
                                                       postgresql.ARRAY(sa.UnicodeText))))
                  .subquery())
        statements.append(
            sa.select(*columns, ranked.c.score).join(ranked, ranked.c.id == table.c.id)
            .where(ranked.c.pos > start, ranked.c.pos <= start + rows).order_by(ranked.c.pos))
    if start + rows > window:
        skip = max(window, start)
        statements.append(sa.select(*columns, sa.cast(head, sa.Float).label("score"))
                          .where(where).order_by(*head_order)
                          .offset(skip).limit(start + rows - skip))
    return statements


def _no_solr_schema_check(schema_file: str | None = None) -> bool:
    """The Solr schema check does not apply: this backend has no Solr."""
    return False


_saved: dict[str, Any] = {}

#: Module attributes of ``ckan.lib.search`` that CKAN uses directly, besides the
#: registry: group pages build ``search.PackageSearchQuery()`` themselves, and
#: start-up calls ``search.check_solr_schema_version()``, which reaches for Solr
#: once it looks available.
_ATTRIBUTES = {
    "PackageSearchQuery": PackageSearchQuery,
    "PackageSearchIndex": PackageSearchIndex,
    "check_solr_schema_version": _no_solr_schema_check,
}
#: The same for ``ckan.lib.search.index``, where CKAN's code and tests (and other
#: extensions, as ckanext-harvest) import the index class from.
_INDEX_ATTRIBUTES = {"PackageSearchIndex": PackageSearchIndex}


def install() -> None:
    """Put the PostgreSQL backend where CKAN looks for its search classes."""
    if _saved:
        return
    _saved["index"] = search._INDICES["package"]
    _saved["query"] = search._QUERIES["package"]
    search._INDICES["package"] = PackageSearchIndex
    search._QUERIES["package"] = PackageSearchQuery
    for module, attributes in ((search, _ATTRIBUTES), (search_index, _INDEX_ATTRIBUTES)):
        for name, ours in attributes.items():
            _saved[f"{module.__name__}.{name}"] = getattr(module, name)
            setattr(module, name, ours)


def uninstall() -> None:
    """Give CKAN back its own (Solr) classes."""
    if not _saved:
        return
    search._INDICES["package"] = _saved.pop("index")
    search._QUERIES["package"] = _saved.pop("query")
    for module, attributes in ((search, _ATTRIBUTES), (search_index, _INDEX_ATTRIBUTES)):
        for name in attributes:
            setattr(module, name, _saved.pop(f"{module.__name__}.{name}"))
