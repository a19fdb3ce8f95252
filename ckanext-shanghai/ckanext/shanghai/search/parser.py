"""A parser for the Solr/Lucene standard query syntax that CKAN and its extensions send.

``parse`` turns ``q`` and ``fq`` strings into a small typed tree which the search
backend compiles to SQL.  The grammar follows Lucene's classic query parser, with
CKAN's ``q.op=AND``: clauses side by side are all required.  Precedence, loosest
first: ``OR``/``||``; ``AND``/``&&`` and juxtaposition; ``NOT``/``!`` and the ``+``
(required) and ``-`` (prohibited) prefixes.  So ``+a +b -c d`` is a AND b AND NOT c
AND d, and ``a b OR c`` is (a AND b) OR c.

Differences from Lucene, all on purpose:

* a query that is only negative (``-x``, ``NOT x``, even inside parentheses) means
  everything except x, as Solr does at the top level;
* ``/`` is an ordinary term character (no regular-expression queries), so date math
  such as ``NOW/DAY`` needs no escaping;
* boosts (``^2``) and fuzziness or phrase slop (``~``, ``~2``) are accepted and
  dropped: they only tune Lucene's scoring or fuzzy matching;
* the only wildcard is a trailing ``*`` (a prefix query).  In free text other
  ``*`` and ``?`` are plain characters, because people type question marks into
  search boxes; on a field they are an error;
* local parameters (``{!...}``) and the magic fields ``_query_`` / ``_val_`` are
  refused: they would let a caller switch query parsers.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import TypeAlias, TypeVar

__all__ = [
    "And",
    "Exists",
    "MatchAll",
    "Node",
    "Not",
    "Or",
    "QuerySyntaxError",
    "Range",
    "Term",
    "is_field_name",
    "parse",
]


class QuerySyntaxError(ValueError):
    """A query that cannot be parsed or compiled; the message says where and why."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: 1-based column of the offending character, when there is one.
        self.column = column


@dataclass(frozen=True, slots=True)
class MatchAll:
    """Every document (``*:*``, an empty query)."""


@dataclass(frozen=True, slots=True)
class Term:
    """A term or phrase, on ``field`` or (field ``None``) on the full text.

    ``wildcard`` marks a prefix query: ``value`` is the prefix, without its ``*``.
    """

    field: str | None
    value: str
    phrase: bool = False
    wildcard: bool = False


@dataclass(frozen=True, slots=True)
class Range:
    """``field:[low TO high]``; a ``None`` bound is open (``*``)."""

    field: str | None
    low: str | None
    high: str | None
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True, slots=True)
class Exists:
    """Documents that have any value for ``field`` (``field:*``, ``field:[* TO *]``)."""

    field: str


@dataclass(frozen=True, slots=True)
class And:
    """All children match."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one child matches."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """Everything ``child`` does not match."""

    child: Node


Node: TypeAlias = MatchAll | Term | Range | Exists | And | Or | Not
_Group = TypeVar("_Group", And, Or)

# Lucene's maxBooleanClauses default: keeps one query from growing without bound.
MAX_CLAUSES = 1024
# Parentheses and prefix operators nest by recursion, here and again when
# SQLAlchemy compiles the resulting expression; real queries nest a few levels.
MAX_DEPTH = 32

_FIELD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_MAGIC_FIELDS = frozenset({"_query_", "_val_"})
# Characters that end a term unless escaped (Lucene's list, less '/', see above).
_TERM_STOP = frozenset('()[]{}:"^~!\\')
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# The same checks as CKAN's ckan.lib.search.query.MAGIC_FIELD_RE / QUERY_PARSER_RE,
# applied to the raw text, before unescaping can hide anything.
_MAGIC_FIELD_RE = re.compile(
    r"\s*(?<![\w\\])\\?_(?:\\?q\\?u\\?e\\?r\\?y|\\?v\\?a\\?l)\\?_\s*:"
)
_LOCAL_PARAMS_RE = re.compile(r"(?:^|[^\\])(?:\\\\)*\{!")


class _Kind(enum.Enum):
    TERM = enum.auto()
    PHRASE = enum.auto()
    RANGE = enum.auto()
    LPAREN = enum.auto()
    RPAREN = enum.auto()
    COLON = enum.auto()
    AND = enum.auto()
    OR = enum.auto()
    NOT = enum.auto()
    PLUS = enum.auto()
    MINUS = enum.auto()
    MODIFIER = enum.auto()
    EOF = enum.auto()


# One-character tokens.
_PUNCTUATION = {
    "(": _Kind.LPAREN, ")": _Kind.RPAREN, ":": _Kind.COLON,
    "+": _Kind.PLUS, "-": _Kind.MINUS, "!": _Kind.NOT,
}

# Tokens that can begin a clause; an operator must be followed by one of them.
_CLAUSE_START = frozenset(
    {_Kind.TERM, _Kind.PHRASE, _Kind.RANGE, _Kind.LPAREN, _Kind.NOT, _Kind.PLUS, _Kind.MINUS}
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    pos: int
    # The source text of the token, for messages.
    raw: str
    # TERM / PHRASE: the unescaped value.
    value: str = ""
    # TERM: indexes in ``value`` of the unescaped '*' and '?' characters.
    wildcards: tuple[int, ...] = ()
    # RANGE: the bounds (None for an open '*') and whether each is inclusive.
    low: str | None = None
    high: str | None = None
    include_low: bool = True
    include_high: bool = True


def _error(message: str, pos: int) -> QuerySyntaxError:
    return QuerySyntaxError(f"Invalid search query at column {pos + 1}: {message}", pos + 1)


class _Lexer:
    """Splits query text into tokens; ranges are read whole, as Lucene does."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def tokens(self) -> list[_Token]:
        out: list[_Token] = []
        while True:
            self._skip_space()
            if self.pos >= len(self.text):
                out.append(_Token(_Kind.EOF, self.pos, ""))
                return out
            out.append(self._next())

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _next(self) -> _Token:
        text, start = self.text, self.pos
        ch = text[start]
        two = text[start : start + 2]
        if two in ("&&", "||"):
            self.pos += 2
            return _Token(_Kind.AND if two == "&&" else _Kind.OR, start, two)
        if ch in _PUNCTUATION:
            self.pos += 1
            return _Token(_PUNCTUATION[ch], start, ch)
        if ch == '"':
            return self._phrase()
        if ch in "[{":
            return self._range()
        if ch in "^~":
            return self._modifier()
        if ch in "]}":
            raise _error(f"unexpected '{ch}' without a matching range opening", start)
        return self._term()

    def _term(self) -> _Token:
        text, start = self.text, self.pos
        chars: list[str] = []
        wildcards: list[int] = []
        escaped = False
        while self.pos < len(text):
            ch = text[self.pos]
            if ch == "\\":
                if self.pos + 1 >= len(text):
                    raise _error("dangling backslash: '\\' must be followed by the character it escapes", self.pos)
                chars.append(text[self.pos + 1])
                escaped = True
                self.pos += 2
                continue
            if ch.isspace() or ch in _TERM_STOP:
                break
            if ch in "*?":
                wildcards.append(len(chars))
            chars.append(ch)
            self.pos += 1
        value = "".join(chars)
        raw = text[start : self.pos]
        if not escaped and value in ("AND", "OR", "NOT"):
            return _Token(_Kind[value], start, raw)
        return _Token(_Kind.TERM, start, raw, value=value, wildcards=tuple(wildcards))

    def _quoted(self) -> str:
        """Reads a double-quoted string at ``pos``, returning its unescaped content."""
        text, start = self.text, self.pos
        chars: list[str] = []
        self.pos += 1
        while self.pos < len(text):
            ch = text[self.pos]
            if ch == "\\" and self.pos + 1 < len(text):
                chars.append(text[self.pos + 1])
                self.pos += 2
            elif ch == '"':
                self.pos += 1
                return "".join(chars)
            else:
                chars.append(ch)
                self.pos += 1
        raise _error("unterminated quoted phrase: the '\"' is never closed", start)

    def _phrase(self) -> _Token:
        start = self.pos
        value = self._quoted()
        return _Token(_Kind.PHRASE, start, self.text[start : self.pos], value=value)

    def _modifier(self) -> _Token:
        text, start = self.text, self.pos
        self.pos += 1
        number = _NUMBER_RE.match(text, self.pos)
        if number is not None:
            self.pos = number.end()
        elif text[start] == "^":
            raise _error("expected a number after '^' (a boost such as ^2)", self.pos)
        return _Token(_Kind.MODIFIER, start, text[start : self.pos])

    def _range_bound(self, what: str) -> str | None:
        """Reads one range bound; returns it, or None for an open ``*``."""
        self._skip_space()
        text, start = self.text, self.pos
        if start >= len(text) or text[start] in "]}":
            raise _error(f"expected the {what} of the range", start)
        if text[start] == '"':
            return self._quoted()
        chars: list[str] = []
        while self.pos < len(text):
            ch = text[self.pos]
            if ch.isspace() or ch in "]}":
                break
            if ch == "\\" and self.pos + 1 < len(text):
                chars.append(text[self.pos + 1])
                self.pos += 2
                continue
            chars.append(ch)
            self.pos += 1
        raw = text[start : self.pos]
        return None if raw == "*" else "".join(chars)

    def _range(self) -> _Token:
        text, start = self.text, self.pos
        include_low = text[start] == "["
        self.pos += 1
        self._skip_space()
        low_pos = self.pos
        low = self._range_bound("lower bound")
        self._skip_space()
        after = text[self.pos + 2 : self.pos + 3]
        if text[self.pos : self.pos + 2] != "TO" or not (after in ("", '"', "]", "}") or after.isspace()):
            if low == "TO" and text[low_pos] != '"':
                # "[ TO b]": the TO was read as the lower bound.
                raise _error("expected the lower bound of the range before 'TO'", low_pos)
            raise _error("expected 'TO' between the bounds of the range", self.pos)
        self.pos += 2
        high = self._range_bound("upper bound")
        self._skip_space()
        if self.pos >= len(text) or text[self.pos] not in "]}":
            raise _error(
                f"range opened at column {start + 1} is not closed: expected ']' or '}}'",
                self.pos,
            )
        include_high = text[self.pos] == "]"
        self.pos += 1
        return _Token(
            _Kind.RANGE, start, text[start : self.pos], low=low, high=high,
            include_low=include_low, include_high=include_high,
        )


class _Parser:
    """Recursive descent over the token list; ``field`` is the field in force."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind is not _Kind.EOF:
            self.index += 1
        return token

    def parse(self) -> Node:
        if self.peek().kind is _Kind.EOF:
            return MatchAll()
        node = self.or_expr(None)
        token = self.peek()
        if token.kind is _Kind.RPAREN:
            raise _error("unbalanced parentheses: ')' has no matching '('", token.pos)
        if token.kind is not _Kind.EOF:
            raise _error(f"unexpected {self._describe(token)}", token.pos)
        return node

    @staticmethod
    def _describe(token: _Token) -> str:
        if token.kind is _Kind.EOF:
            return "end of query"
        return f"'{token.raw}'"

    def _expect_clause_after(self, operator: _Token) -> None:
        following = self.peek()
        if following.kind not in _CLAUSE_START:
            raise _error(
                f"operator '{operator.raw}' must be followed by a term, "
                f"found {self._describe(following)}",
                operator.pos,
            )

    @staticmethod
    def _combine(kind: type[_Group], children: list[Node], pos: int) -> Node:
        flat: list[Node] = []
        for child in children:
            # (a AND b) AND c is a AND b AND c: flatter trees compile to flatter SQL.
            flat.extend(child.children if isinstance(child, kind) else (child,))
        if len(flat) == 1:
            return flat[0]
        if len(flat) > MAX_CLAUSES:
            raise _error(f"too many clauses (more than {MAX_CLAUSES}) in one group", pos)
        return kind(tuple(flat))

    def or_expr(self, field: str | None) -> Node:
        start = self.peek().pos
        children = [self.and_expr(field)]
        while self.peek().kind is _Kind.OR:
            operator = self.advance()
            self._expect_clause_after(operator)
            children.append(self.and_expr(field))
        return self._combine(Or, children, start)

    def and_expr(self, field: str | None) -> Node:
        start = self.peek().pos
        children = [self.unary(field)]
        while True:
            token = self.peek()
            if token.kind is _Kind.AND:
                self.advance()
                self._expect_clause_after(token)
            elif token.kind not in _CLAUSE_START:
                break
            children.append(self.unary(field))
        return self._combine(And, children, start)

    def _enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _error(f"query nests too deeply (more than {MAX_DEPTH} levels)", pos)

    def unary(self, field: str | None) -> Node:
        token = self.peek()
        if token.kind not in (_Kind.NOT, _Kind.PLUS, _Kind.MINUS):
            return self.primary(field)
        self.advance()
        self._expect_clause_after(token)
        self._enter(token.pos)
        operand = self.unary(field)
        self.depth -= 1
        return operand if token.kind is _Kind.PLUS else Not(operand)

    def _skip_modifiers(self) -> None:
        while self.peek().kind is _Kind.MODIFIER:
            self.advance()

    def primary(self, field: str | None) -> Node:
        token = self.peek()
        if token.kind is _Kind.LPAREN:
            node = self.group(field)
        elif token.kind is _Kind.TERM and self.tokens[self.index + 1].kind is _Kind.COLON:
            node = self.fielded()
        elif token.kind is _Kind.TERM:
            self.advance()
            node = self.term(token, field)
        elif token.kind is _Kind.PHRASE:
            self.advance()
            node = Term(field, token.value, phrase=True)
        elif token.kind is _Kind.RANGE:
            self.advance()
            node = self.range(token, field)
        elif token.kind is _Kind.COLON:
            raise _error("empty field name before ':'", token.pos)
        elif token.kind is _Kind.RPAREN:
            raise _error("unbalanced parentheses: ')' has no matching '('", token.pos)
        elif token.kind is _Kind.MODIFIER:
            raise _error(f"'{token.raw}' must follow a term", token.pos)
        elif token.kind in (_Kind.AND, _Kind.OR):
            raise _error(f"operator '{token.raw}' has no term before it", token.pos)
        else:
            raise _error(f"expected a term, found {self._describe(token)}", token.pos)
        self._skip_modifiers()
        return node

    def group(self, field: str | None) -> Node:
        opening = self.advance()
        if self.peek().kind is _Kind.RPAREN:
            raise _error("empty parentheses: expected a query inside '()'", opening.pos)
        self._enter(opening.pos)
        node = self.or_expr(field)
        self.depth -= 1
        closing = self.peek()
        if closing.kind is not _Kind.RPAREN:
            if closing.kind is _Kind.EOF:
                raise _error("unbalanced parentheses: '(' is never closed", opening.pos)
            raise _error(f"expected ')' or an operator, found {self._describe(closing)}", closing.pos)
        self.advance()
        return node

    def fielded(self) -> Node:
        name_token = self.advance()
        colon = self.advance()
        name = name_token.value
        if name == "*" and name_token.wildcards == (0,):
            value = self.advance()
            if value.kind is _Kind.TERM and value.value == "*" and value.wildcards == (0,):
                return MatchAll()
            raise _error("'*' can only be a field name in '*:*'", name_token.pos)
        if name in _MAGIC_FIELDS:
            raise _error(f"the magic field '{name}' is not supported", name_token.pos)
        if not is_field_name(name):
            raise _error(
                f"invalid field name '{name_token.raw}' (letters, digits, '_', '.', '-')",
                name_token.pos,
            )
        value = self.peek()
        if value.kind is _Kind.LPAREN:
            return self.group(name)
        if value.kind is _Kind.TERM:
            self.advance()
            return self.term(value, name)
        if value.kind is _Kind.PHRASE:
            self.advance()
            return Term(name, value.value, phrase=True)
        if value.kind is _Kind.RANGE:
            self.advance()
            return self.range(value, name)
        if value.kind in (_Kind.PLUS, _Kind.MINUS):
            raise _error(
                f"a value after '{name}:' cannot start with '{value.raw}': "
                "quote it or escape it with '\\'",
                value.pos,
            )
        raise _error(
            f"expected a value after '{name}:', found {self._describe(value)}", colon.pos + 1
        )

    @staticmethod
    def term(token: _Token, field: str | None) -> Node:
        value, wildcards = token.value, token.wildcards
        if not wildcards:
            return Term(field, value)
        if value == "*":
            return MatchAll() if field is None else Exists(field)
        if wildcards == (len(value) - 1,) and value.endswith("*"):
            return Term(field, value[:-1], wildcard=True)
        if field is None:
            # Free text: '*' and '?' inside a word are punctuation to the tokenizer.
            return Term(None, value)
        raise _error(
            f"unsupported wildcard in '{token.raw}': only a trailing '*' "
            "(a prefix query) is supported; escape '*' and '?' with '\\' to match them",
            token.pos,
        )

    @staticmethod
    def range(token: _Token, field: str | None) -> Node:
        if field is not None and token.low is None and token.high is None:
            return Exists(field)
        return Range(field, token.low, token.high, token.include_low, token.include_high)


def is_field_name(text: str) -> bool:
    """True when ``text`` may name a field in a query (``name``, ``extras_x``, ``res_format``)."""
    return _FIELD_RE.fullmatch(text) is not None


def _check_input(text: str) -> None:
    """Refuses what no parser should see: local params, magic fields, NULs, surrogates."""
    if _LOCAL_PARAMS_RE.search(text) is not None:
        raise QuerySyntaxError(
            "Invalid search query: local parameters ('{!...}') are not supported"
        )
    magic = _MAGIC_FIELD_RE.search(text)
    if magic is not None:
        raise _error("the magic fields '_query_' and '_val_' are not supported", magic.start())
    for pos, ch in enumerate(text):
        # PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded
        # to UTF-8: both would fail deep inside the database driver.
        if ch == "\x00":
            raise _error("NUL characters are not allowed", pos)
        if "\ud800" <= ch <= "\udfff":
            raise _error("invalid Unicode (a lone surrogate)", pos)


def parse(text: str) -> Node:
    """Parses a Solr/Lucene standard query into a tree.

    An empty or blank query is ``MatchAll``.  Raises ``QuerySyntaxError`` (and
    nothing else) for any text it cannot parse, naming the column and what was
    expected there.
    """
    # Callers pass request parameters, which are not always the strings the
    # signature promises (a JSON list, say).
    if not isinstance(text, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise QuerySyntaxError(f"Invalid search query: expected a string, got {type(text).__name__}")
    _check_input(text)
    return _Parser(_Lexer(text).tokens()).parse()


_SYNTAX = re.compile(r'[()\[\]{}"^~!+\-&|\\]')


def parse_lenient(text: str) -> Node:
    """Parse a user's free-text query the way Solr's dismax parser treats one.

    CKAN sends queries without a ``:`` to dismax, which never fails on syntax: a
    stray bracket or quote is taken literally. Here the query is parsed normally
    and, if that fails, its words are searched as plain terms (all required).
    Queries with local params or magic fields are still refused.
    """
    try:
        return parse(text)
    except QuerySyntaxError:
        _check_input(text)
        words = _SYNTAX.sub(" ", text).split()
        if not words:
            return MatchAll()
        terms = tuple(Term(None, word) for word in words)
        return terms[0] if len(terms) == 1 else And(terms)
