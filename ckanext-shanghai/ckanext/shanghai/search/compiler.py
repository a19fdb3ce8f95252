"""Compiles parsed Solr/Lucene queries to SQL over the ``shanghai_search_index`` table.

The table holds one row per dataset: a few real columns (``id``, ``name``,
``title``, ``state``, ``private``, ``dataset_type``, ``organization``,
``metadata_created``, ``metadata_modified``, ``permission_labels text[]``), every
indexed field as ``fields jsonb`` (field name → JSON array of strings) and a
weighted ``search_vector tsvector`` built from ``index_sequence`` (A: title, name,
title_en; B: tags, groups, organization title, the Table Schema fields' names
and titles; C: notes, notes_en, other text; D: resource names, descriptions and
formats), and ``tag_vector``, the tags alone (class D), used only to rank a tag
match above a data-item match.

Every value from the query, field names included, reaches PostgreSQL as a bind
parameter.

Every token of ``index_tokens`` and ``query_lexemes`` is a single token to
PostgreSQL's text-search parser, so the vector is built with
``to_tsvector('simple', <tokens joined by spaces>)`` (``search_vector_expression``)
and queried with ``to_tsquery('simple', ...)``.  Not with ``array_to_tsvector``:
its lexemes have no positions, and PostgreSQL keeps weights in positions, so
``setweight`` would do nothing, ``'公交':A`` would match any field and
``ts_rank_cd`` would always be 0.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy import (
    Float,
    Integer,
    Numeric,
    Table,
    Text,
    and_,
    any_,
    case,
    cast,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, REAL, REGCONFIG, TSVECTOR
from sqlalchemy.sql.elements import ColumnElement

from . import datemath
from .parser import (
    And,
    Exists,
    MatchAll,
    Node,
    Not,
    Or,
    QuerySyntaxError,
    Range,
    Term,
)
from .tokens import (
    ALL_VARIANTS,
    Variants,
    index_sequence,
    is_cjk_token,
    phrase_lexemes,
    query_lexemes,
    query_words,
)

__all__ = [
    "TEXT_FIELD_WEIGHTS",
    "CompiledQuery",
    "Cost",
    "Weight",
    "compile_query",
    "compile_sort",
    "query_cost",
    "rank_expression",
    "relaxed_query",
    "search_vector_expression",
    "stored_number",
]

Weight = Literal["A", "B", "C", "D"]

#: Fields searched in the tsvector, and the weight their words were indexed under
#: (None: any weight).  Solr's schema makes these "text" fields; every other field
#: is an exact string, as Solr's "string" fields are.
TEXT_FIELD_WEIGHTS: Mapping[str, Weight | None] = {
    "text": None,
    "title": "A",
    "title_en": "A",
    "notes": "C",
    "notes_en": "C",
    "res_name": "D",
    "res_description": "D",
}
# Fields with a real column holding the same single value as ``fields``.
_COLUMN_FIELDS = frozenset({"id", "name", "state", "dataset_type", "organization"})
_TIMESTAMP_FIELDS = frozenset({"metadata_created", "metadata_modified"})
# What CKAN's package_autocomplete searches: substrings of the name and title.
_NGRAM_COLUMNS: Mapping[str, str] = {"name_ngram": "name", "title_ngram": "title"}

_SIMPLE = literal_column("'simple'", REGCONFIG)
_NUMERIC = Numeric(asdecimal=True)

# A bound that is a number.  The exponent is capped so that PostgreSQL's numeric
# type can hold it.
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
# An indexed element that may be cast to numeric: no exponent and bounded length,
# so that no stored string can make the cast fail.
_SQL_NUMBER_PATTERN = r"^[+-]?([0-9]{1,100}(\.[0-9]{0,100})?|\.[0-9]{1,100})$"
_STORED_NUMBER_RE = re.compile(_SQL_NUMBER_PATTERN)
_SQL_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"

_SORT_RE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s+(asc|desc)\s*", re.IGNORECASE)
_SORT_COLUMNS = frozenset({"id", "name", "metadata_created", "metadata_modified"})

# tsvector values are limited to 1 MB; a dataset's text stays well under that.
_MAX_VECTOR_TOKENS = 40_000


@dataclass(frozen=True)
class CompiledQuery:
    """A compiled query: the WHERE condition and the free text to rank by."""

    where: ColumnElement[bool]
    #: The tsquery of the query's positive free-text parts, for
    #: ``ts_rank_cd(search_vector, to_tsquery('simple', tsquery))``; None if none.
    tsquery: str | None


@dataclass(frozen=True)
class Cost:
    """What a query asks of the database, to hold it to the search limits.

    ``terms``: the lexemes of free text and the values of other fields;
    ``wildcards``: prefix and substring matches, which no index narrows well;
    ``ranges``: ranges, each a scan of the field's values.
    """

    terms: int = 0
    wildcards: int = 0
    ranges: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.terms + other.terms, self.wildcards + other.wildcards,
                    self.ranges + other.ranges)


def query_cost(node: Node, variants: Variants = ALL_VARIANTS) -> Cost:
    """The ``Cost`` of a parsed query, counted as ``compile_query`` will compile it.

    A free-text term costs every lexeme it may ask for, synonyms included.
    """
    match node:
        case Term(field=field, value=value, wildcard=wildcard) if _is_text_field(field):
            lexemes = len(query_lexemes(value, variants))
            return Cost(terms=lexemes, wildcards=int(wildcard and lexemes > 0))
        case Term(field=field, wildcard=wildcard):
            return Cost(terms=1, wildcards=int(wildcard or field in _NGRAM_COLUMNS))
        case Range():
            return Cost(ranges=1)
        case Exists():
            return Cost(terms=1)
        case Not(child=child):
            return query_cost(child, variants)
        case And(children=children) | Or(children=children):
            return sum((query_cost(child, variants) for child in children), Cost())
        case _:
            return Cost()


def compile_query(node: Node, table: Table, *, now: datetime | None = None,
                  variants: Variants = ALL_VARIANTS) -> CompiledQuery:
    """Compiles a parsed query to a condition over the index ``table``.

    ``now`` is the instant ``NOW`` means in date math (default: the current time;
    naive values are UTC); ``variants`` the synonyms and variant forms to search.
    Raises ``QuerySyntaxError`` for constructs the index
    cannot answer, such as a range without a field or an unknown date-math unit.
    """
    if now is None:
        now = datetime.now(timezone.utc)
    if now.tzinfo is not None:
        # The timestamp columns hold naive UTC, as CKAN's own tables do.
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    compiler = _Compiler(table, now, variants)
    where = compiler.compile(node)
    # Nothing left after analysis (only punctuation, say): Lucene's empty query
    # matches nothing.
    return CompiledQuery(
        where=false() if where is None else where,
        tsquery=_rank_tsquery(node, variants),
    )


def relaxed_query(node: Node, table: Table,
                  variants: Variants = ALL_VARIANTS) -> tuple[CompiledQuery, int] | None:
    """The ranked OR of a free-text query's words, for when all of them find nothing.

    Like dismax's minimum-should-match (``mm=2<50%``): of ``n`` words, one must
    match when ``n`` is 2, half of them (rounded up) when more.  Returns the
    query and that minimum, or None when ``node`` is not one free-text term of
    two or more words, or a plain AND of free-text terms (nothing to relax).
    """
    terms: Sequence[Node] = node.children if isinstance(node, And) else (node,)
    words: list[str] = []
    for term in terms:
        if not (isinstance(term, Term) and term.field is None
                and not term.phrase and not term.wildcard):
            return None
        words.extend(_alternatives_tsquery(word) for word in query_words(term.value, variants))
    if len(words) < 2:
        return None
    minimum = max(1, -(-len(words) // 2)) if len(words) > 2 else 1
    vector = table.c.search_vector
    tsquery = _join_tsqueries(words, "|")
    if math.comb(len(words), minimum) <= _MAX_RELAXED_GROUPS:
        # "At least m of n words" without weights or phrases, which the GIN index
        # answers exactly, so the TOASTed vector of each candidate is never read to
        # count its words: one branch per first word of a group (that word AND at
        # least m - 1 of the words after it), each searched alone and their matches
        # ORed as bitmaps. Each word's posting lists are then read by few branches:
        # one tsquery of every group tests every item of any word's list against all
        # groups, and one condition per group reads a common word's lists once per
        # group (for 4 words, one common: 40 ms, 26 ms, and 16 ms this way).
        branches = _by_first_word(minimum, words)
        return CompiledQuery(where=or_(*(vector.bool_op("@@")(_to_tsquery(branch))
                                         for branch in branches)),
                             tsquery=tsquery), minimum
    matched = sum(
        (case((vector.bool_op("@@")(_to_tsquery(word)), 1), else_=0) for word in words),
        literal(0),
    )
    where = and_(vector.bool_op("@@")(_to_tsquery(tsquery)), matched >= minimum)
    return CompiledQuery(where=where, tsquery=tsquery), minimum


#: The most groups of words ``relaxed_query`` spells out (8 words, 4 of them: 70).
_MAX_RELAXED_GROUPS = 70


def _by_first_word(minimum: int, words: Sequence[str]) -> list[str]:
    """"At least ``minimum`` of ``words``" as tsqueries to OR, one per first word of
    a group: that word AND at least ``minimum`` - 1 of the words after it."""
    branches = []
    for i, word in enumerate(words[:len(words) - minimum + 1] if minimum else []):
        rest = _by_first_word(minimum - 1, words[i + 1:])
        branches.append(_join_tsqueries([word, _join_tsqueries(rest, "|")], "&") if rest else word)
    return branches


_DEFAULT_WEIGHTS = (0.1, 0.2, 0.4, 1.0)


def rank_expression(table: Table, tsquery: str | None,
                    weights: Sequence[float] | None = None, *,
                    exact_title: str | None = None, head: bool = False) -> ColumnElement[Any]:
    """``ts_rank_cd`` of the index's vector against ``tsquery`` (0 when None).

    ``weights`` are the relevance of the D, C, B and A classes, PostgreSQL's order.
    Tags and data items share class B (PostgreSQL has four), so the vector ranked
    is ``search_vector`` followed by ``tag_vector`` (the tags again, as class D):
    a tag match weighs B + D, more than a data item's B and, with any sensible
    weights (B + D < A, as the defaults), less than a title's A. One ``ts_rank_cd``
    per row, whichever the query. A row indexed
    before ``tag_vector`` existed (NULL) is ranked on ``search_vector`` alone.
    With ``head``, the vector ranked is the in-row ``rank_vector`` (title and tags
    only), by ``ts_rank`` (how often and in which class the words occur), a third of
    ``ts_rank_cd``'s cost: the cheap first order that picks which matches are ranked
    in full.
    With ``exact_title``, the rank is normalised to rank / (rank + 1), below 1,
    and a dataset whose title is ``exact_title`` (ignoring case and surrounding
    space) gets 1 more: an exact title match comes first.
    """
    if tsquery is None:
        # A cast, not a bare constant: PostgreSQL rejects constants in ORDER BY.
        return cast(literal(0.0), Float)
    vector = table.c.rank_vector if head else table.c.search_vector.op(
        "||", return_type=TSVECTOR)(func.coalesce(table.c.tag_vector, cast(literal("", Text), TSVECTOR)))
    arguments: list[Any] = [cast(literal(list(weights or _DEFAULT_WEIGHTS)), ARRAY(REAL)),
                            vector, _to_tsquery(tsquery)]
    ranking = func.ts_rank if head else func.ts_rank_cd
    if not (exact_title and exact_title.strip()):
        return ranking(*arguments)
    # Normalisation 32 (rank / (rank + 1)) keeps the order and stays below 1.
    rank = ranking(*arguments, 32)
    # A lone surrogate cannot reach PostgreSQL (and is in no title).
    title = exact_title.strip().lower().encode("utf-8", "replace").decode("utf-8")
    # The ids with that title, found once by the index on lower(title): lowering
    # every match's title cost ~6 ms of a common word's 30,000 matches.
    exact = table.alias("exact_title")
    titled = func.array(select(exact.c.id).where(func.lower(exact.c.title) == title)
                        .scalar_subquery())
    bonus = case((table.c.id == any_(titled), 1.0), else_=0.0)
    return cast(rank + bonus, Float)


def search_vector_expression(texts: Mapping[Weight, Iterable[str]],
                             variants: Variants = ALL_VARIANTS) -> ColumnElement[Any]:
    """The ``search_vector`` value for a dataset, from its texts by weight.

    Each text is reduced to ``index_sequence`` (with pinyin for the title and
    tag classes A and B); the tokens go to PostgreSQL as one bind parameter per
    weight, so no text is ever part of the SQL.
    """
    budget = _MAX_VECTOR_TOKENS
    parts: list[ColumnElement[Any]] = []
    for weight in ("A", "B", "C", "D"):
        pinyin = weight in ("A", "B")
        tokens = [token for text in texts.get(weight, ())
                  for token in index_sequence(text, variants, pinyin=pinyin)][:budget]
        budget -= len(tokens)
        if tokens:
            vector = func.to_tsvector(_SIMPLE, literal(" ".join(tokens), Text))
            parts.append(func.setweight(vector, literal_column(f"'{weight}'")))
    if not parts:
        return cast(literal("", Text), TSVECTOR)
    vector_expr = parts[0]
    for part in parts[1:]:
        vector_expr = vector_expr.op("||", return_type=TSVECTOR)(part)
    return vector_expr


def compile_sort(sort: str, table: Table, rank_expr: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    """ORDER BY clauses for a CKAN/Solr sort string such as ``score desc, name asc``.

    ``score`` sorts by ``rank_expr`` and then by the quality score (so equal
    ranks put the better-kept dataset first), ``title_string`` by the lowercased title,
    ``id``, ``name``, ``metadata_created`` and ``metadata_modified`` by their
    columns, any other field by its first value (numerically where it is a
    number).  Missing values sort last, as with CKAN's Solr schema, and ``id``
    always breaks ties so that paging is stable.
    """
    clauses: list[ColumnElement[Any]] = []
    if sort.strip():
        for part in sort.split(","):
            match = _SORT_RE.fullmatch(part)
            if match is None:
                raise QuerySyntaxError(
                    f'Invalid "sort" parameter: {part.strip()!r} is not "<field> asc" or '
                    '"<field> desc" (separate several with commas)'
                )
            field, descending = match.group(1), match.group(2).lower() == "desc"
            for key in _sort_keys(field, table, rank_expr):
                clauses.append((key.desc() if descending else key.asc()).nulls_last())
    clauses.append(table.c.id.asc())
    return clauses


def _sort_keys(field: str, table: Table, rank_expr: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    if field == "score":
        return [rank_expr, *_sort_keys("quality", table, rank_expr)[:1]]
    if field == "quality":
        # Its own narrow column (a number or NULL), not a detoast of ``fields`` per row.
        return [table.c.quality]
    if field == "title_string":
        return [func.lower(table.c.title)]
    if field in _SORT_COLUMNS:
        return [table.c[field]]
    first = type_coerce(table.c.fields, JSONB)[field][0].astext
    # Numbers (views_recent, record_count) are stored as strings: sort them as
    # numbers first, then by text for anything that is not a number.
    as_number = case((first.regexp_match(_SQL_NUMBER_PATTERN), cast(first, _NUMERIC)))
    return [as_number, first]


def stored_number(text: str) -> Decimal | None:
    """The number a stored string sorts as, by the same rule as the SQL sort, or None."""
    return Decimal(text) if _STORED_NUMBER_RE.fullmatch(text) else None


def _to_tsquery(tsquery: str) -> ColumnElement[Any]:
    return func.to_tsquery(_SIMPLE, literal(tsquery, Text))


def _quote_lexeme(lexeme: str) -> str:
    # tsquery syntax: a lexeme in single quotes, with quotes doubled and
    # backslashes escaped.
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _is_text_field(field: str | None) -> bool:
    return field is None or field in TEXT_FIELD_WEIGHTS


def _is_text_only(node: Node) -> bool:
    """True for a free-text term, or an AND/OR made only of such terms."""
    if isinstance(node, Term):
        return _is_text_field(node.field)
    if isinstance(node, (And, Or)):
        return all(_is_text_only(child) for child in node.children)
    return False


def _alternatives_tsquery(word: Sequence[Sequence[str]], weight: str = "") -> str:
    """One query word: any of its alternatives, each with all its lexemes."""
    flags = ":" + weight if weight else ""
    options = [" & ".join(_quote_lexeme(lexeme) + flags for lexeme in alternative)
               for alternative in word]
    return _join_tsqueries(options, "|")


def _term_tsquery(term: Term, variants: Variants = ALL_VARIANTS) -> str | None:
    """The tsquery for a free-text term; None if it has no lexemes.

    A phrase needs its lexemes adjacent and in order; a prefix its lexemes with
    the last one as a prefix; any other term every word (``query_words``), each
    as itself or a synonym.
    """
    weight = TEXT_FIELD_WEIGHTS.get(term.field) if term.field is not None else None
    if term.phrase and not term.wildcard:
        sequence = phrase_lexemes(term.value, variants)
        flags = ":" + weight if weight else ""
        return " <-> ".join(_quote_lexeme(lexeme) + flags for lexeme in sequence) or None
    if not term.wildcard:
        words = query_words(term.value, variants)
        if not words:
            return None
        return _join_tsqueries([_alternatives_tsquery(word, weight or "") for word in words], "&")
    lexemes = query_lexemes(term.value, Variants(synonyms=False,
                                                 traditional=variants.traditional))
    if not lexemes:
        return None
    parts: list[str] = []
    for position, lexeme in enumerate(lexemes):
        # CJK needs no prefix operator: every bigram and character is indexed, so
        # the lexemes of "公交" already match "公交车".
        prefix = term.wildcard and position == len(lexemes) - 1 and not is_cjk_token(lexeme)
        flags = ("*" if prefix else "") + (weight or "")
        parts.append(_quote_lexeme(lexeme) + (":" + flags if flags else ""))
    return " & ".join(parts)


def _rank_tsquery(node: Node, variants: Variants = ALL_VARIANTS) -> str | None:
    """The tsquery of the positive free-text parts of ``node``.

    For a node made only of free text (``_is_text_only``) this is exactly its
    condition; otherwise it is what ranking should reward.
    """
    match node:
        case Term() if _is_text_field(node.field):
            return _term_tsquery(node, variants)
        case And(children=children) | Or(children=children):
            parts = [part for part in (_rank_tsquery(child, variants) for child in children)
                     if part is not None]
            if not parts:
                return None
            return _join_tsqueries(parts, "|" if isinstance(node, Or) else "&")
        case _:
            return None


def _join_tsqueries(parts: Sequence[str], operator: str) -> str:
    if len(parts) == 1:
        return parts[0]
    return f" {operator} ".join(f"({part})" for part in parts)


def _parse_number(text: str) -> Decimal | None:
    if _NUMBER_RE.fullmatch(text) is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _iso(moment: datetime) -> str:
    # The format the index stores dates in; explicit so that years below 1000
    # keep four digits.
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def _bounded(
    value: ColumnElement[Any],
    low: Any,
    high: Any,
    include_low: bool,
    include_high: bool,
) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if low is not None:
        conditions.append(value >= low if include_low else value > low)
    if high is not None:
        conditions.append(value <= high if include_high else value < high)
    return and_(*conditions)


class _Compiler:
    """Walks the tree; ``compile`` returns None for a clause that analysis emptied.

    Like Lucene, a term with no searchable characters left (only punctuation) is
    dropped from its group rather than matching everything or nothing.
    """

    def __init__(self, table: Table, now: datetime, variants: Variants) -> None:
        self.table = table
        self.now = now
        self.variants = variants
        # fields is declared JSONB by the migration; coercing keeps the JSONB
        # operators available even for a table reflected without dialect types.
        self.fields = type_coerce(table.c.fields, JSONB)

    def compile(self, node: Node) -> ColumnElement[bool] | None:
        match node:
            case MatchAll():
                return true()
            case Term():
                return self.term(node)
            case Range():
                return self.range(node)
            case Exists(field=field):
                return self.exists(field)
            case Not(child=child):
                inner = self.compile(child)
                # IS NOT TRUE, not NOT: a NULL column (no organization, say) must
                # count as "does not match", so its negation matches.
                return None if inner is None else inner.is_not(True)
            case And(children=children):
                return self.group(children, disjunction=False)
            case Or(children=children):
                return self.group(children, disjunction=True)

    def group(self, children: Sequence[Node], *, disjunction: bool) -> ColumnElement[bool] | None:
        text_parts: list[str] = []
        # OR of exact values of one column-backed field: one IN / && instead of
        # one comparison each (CKAN's state:(active OR draft), permission labels).
        values_by_field: dict[str, list[str]] = {}
        expressions: list[ColumnElement[bool]] = []
        for child in children:
            if _is_text_only(child):
                # Free text of one group, however nested, becomes one tsquery:
                # one index scan instead of one per term.
                tsquery = _rank_tsquery(child, self.variants)
                if tsquery is not None:
                    text_parts.append(tsquery)
            elif (
                disjunction
                and isinstance(child, Term)
                and not child.wildcard
                and child.field is not None
                and (child.field in _COLUMN_FIELDS or child.field == "permission_labels")
            ):
                values_by_field.setdefault(child.field, []).append(child.value)
            else:
                expression = self.compile(child)
                if expression is not None:
                    expressions.append(expression)
        for field, values in values_by_field.items():
            expressions.append(self.exact_any(field, values))
        if text_parts:
            expressions.insert(0, self.text_match(_join_tsqueries(text_parts, "|" if disjunction else "&")))
        if not expressions:
            return None
        if len(expressions) == 1:
            return expressions[0]
        return or_(*expressions) if disjunction else and_(*expressions)

    def text_match(self, tsquery: str) -> ColumnElement[bool]:
        return self.table.c.search_vector.bool_op("@@")(_to_tsquery(tsquery))

    def any_element(
        self, field: str, predicate: Callable[[ColumnElement[Any]], ColumnElement[bool]]
    ) -> ColumnElement[bool]:
        """EXISTS an element of the field's array satisfying ``predicate``."""
        elements = func.jsonb_array_elements_text(self.fields[field]).table_valued("value").alias()
        return select(literal_column("1", Integer)).select_from(elements).where(predicate(elements.c.value)).exists()

    def exact_any(self, field: str, values: Sequence[str]) -> ColumnElement[bool]:
        """The field has one of ``values`` (a column-backed field or permission labels)."""
        if field == "permission_labels":
            return self.table.c.permission_labels.bool_op("&&")(literal(list(values), ARRAY(Text)))
        column = self.table.c[field]
        return column == values[0] if len(values) == 1 else column.in_(values)

    def term(self, term: Term) -> ColumnElement[bool] | None:
        field, value = term.field, term.value
        if field is None or _is_text_field(field):
            tsquery = _term_tsquery(term, self.variants)
            return None if tsquery is None else self.text_match(tsquery)
        if field in _NGRAM_COLUMNS:
            return self.table.c[_NGRAM_COLUMNS[field]].ilike(f"%{_escape_like(value)}%", escape="\\")
        if field == "tags":
            return self.tag(value, term.wildcard)
        if term.wildcard:
            pattern = _escape_like(value) + "%"
            if field in _COLUMN_FIELDS:
                return self.table.c[field].like(pattern, escape="\\")
            return self.any_element(field, lambda element: element.like(pattern, escape="\\"))
        if field == "capacity":
            # CKAN indexes capacity as "private" when the dataset is private,
            # "public" otherwise (a NULL private flag included).
            if value == "public":
                return self.table.c.private.is_not(True)
            if value == "private":
                return self.table.c.private.is_(True)
            return false()
        if field in _COLUMN_FIELDS or field == "permission_labels":
            return self.exact_any(field, [value])
        # jsonb containment, which a GIN (jsonb_path_ops) index on fields serves.
        return self.fields.bool_op("@>")(literal({field: [value]}, JSONB))

    def tag(self, value: str, prefix: bool) -> ColumnElement[bool]:
        """Tags match whole and ignoring case (CKAN tags are free-form)."""
        lowered = value.lower()
        if prefix:
            pattern = _escape_like(lowered) + "%"
            return self.any_element("tags", lambda element: func.lower(element).like(pattern, escape="\\"))
        if lowered == value.upper():
            # Nothing to fold (Chinese tags): containment can use the GIN index.
            return self.fields.bool_op("@>")(literal({"tags": [value]}, JSONB))
        return self.any_element("tags", lambda element: func.lower(element) == lowered)

    def exists(self, field: str) -> ColumnElement[bool]:
        return func.jsonb_array_length(self.fields[field]) > 0

    def range(self, node: Range) -> ColumnElement[bool]:
        field = node.field
        if field is None or field == "text":
            raise QuerySyntaxError(
                "Invalid search query: a range needs a field, "
                "as in metadata_modified:[NOW-1YEAR TO NOW]"
            )
        if node.low is None and node.high is None:
            return self.exists(field)
        bounds = [bound for bound in (node.low, node.high) if bound is not None]
        if all(_parse_number(bound) is not None for bound in bounds):
            return self.numeric_range(field, node)
        if all(map(datemath.is_date_math, bounds)):
            return self.date_range(field, node)
        return self.any_element(
            field,
            lambda element: _bounded(
                element.collate("C"), node.low, node.high, node.include_low, node.include_high
            ),
        )

    def numeric_range(self, field: str, node: Range) -> ColumnElement[bool]:
        low = None if node.low is None else literal(_parse_number(node.low), _NUMERIC)
        high = None if node.high is None else literal(_parse_number(node.high), _NUMERIC)

        def in_range(element: ColumnElement[Any]) -> ColumnElement[bool]:
            # CASE, not AND: PostgreSQL may evaluate AND's operands in any order,
            # and the cast must only ever see strings that look like numbers.
            number = case((element.regexp_match(_SQL_NUMBER_PATTERN), cast(element, _NUMERIC)))
            return _bounded(number, low, high, node.include_low, node.include_high)

        return self.any_element(field, in_range)

    def date_range(self, field: str, node: Range) -> ColumnElement[bool]:
        low = None if node.low is None else datemath.resolve(node.low, self.now)
        high = None if node.high is None else datemath.resolve(node.high, self.now)
        if field in _TIMESTAMP_FIELDS:
            return _bounded(self.table.c[field], low, high, node.include_low, node.include_high)
        low_text = None if low is None else _iso(low)
        high_text = None if high is None else _iso(high)

        def in_range(element: ColumnElement[Any]) -> ColumnElement[bool]:
            # ISO-8601 strings of one format sort like the instants they name,
            # under the byte order of the "C" collation.
            return and_(
                element.regexp_match(_SQL_DATE_PATTERN),
                _bounded(element.collate("C"), low_text, high_text, node.include_low, node.include_high),
            )

        return self.any_element(field, in_range)
