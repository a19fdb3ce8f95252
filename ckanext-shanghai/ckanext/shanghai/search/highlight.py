"""Highlights the words of a search in a dataset's title and description (pure).

PostgreSQL's ``ts_headline`` parses text with a text-search parser, which keeps
黄浦区 as one word, so it cannot mark 黄浦 in it; the marks here are made from
the same lexemes the query searched (``tokens.query_words``: bigrams of each
word and of its synonyms), found anywhere in the text and merged where they
overlap.  Everything outside the marks is escaped.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from .parser import And, Node, Or, QuerySyntaxError, Term, parse_lenient
from .tokens import ALL_VARIANTS, Variants, query_words

__all__ = ["highlight", "query_lexemes_of", "snippet"]

# Bounds, so that no query or text makes highlighting slow.
_MAX_QUERY_CHARS = 4000
_MAX_LEXEMES = 200
_MAX_TEXT_CHARS = 20_000
_FREE_TEXT_FIELDS = frozenset({"text", "title", "notes", "title_en", "notes_en"})


def _terms(node: Node) -> Iterable[Term]:
    """The free-text terms of a query, not under a NOT."""
    if isinstance(node, Term):
        if node.field is None or node.field in _FREE_TEXT_FIELDS:
            yield node
    elif isinstance(node, (And, Or)):
        for child in node.children:
            yield from _terms(child)


def query_lexemes_of(q: str, variants: Variants = ALL_VARIANTS) -> list[str]:
    """The lexemes of ``q``'s free text, to be marked; [] when ``q`` does not parse."""
    try:
        node = parse_lenient(q[:_MAX_QUERY_CHARS])
    except QuerySyntaxError:
        return []
    lexemes: dict[str, None] = {}
    for term in _terms(node):
        for word in query_words(term.value, variants):
            for alternative in word:
                lexemes.update(dict.fromkeys(alternative))
    return list(lexemes)[:_MAX_LEXEMES]


def _spans(text: str, lexemes: list[str]) -> list[tuple[int, int]]:
    if not lexemes or not text:
        return []
    # A lookahead finds every occurrence, overlapping ones too (空气, 气质, 质量).
    pattern = re.compile("(?=(" + "|".join(
        map(re.escape, sorted(lexemes, key=len, reverse=True))) + "))")
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(text.lower()):
        start, end = match.start(), match.start() + len(match.group(1))
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Markup:
    out: list[str] = []
    position = start
    for low, high in spans:
        low, high = max(low, start), min(high, end)
        if high <= low:
            continue
        out.append(escape(text[position:low]))
        out.append(Markup("<mark>%s</mark>") % text[low:high])
        position = high
    out.append(escape(text[position:end]))
    return Markup("").join(out)


def highlight(text: str, q: str, variants: Variants = ALL_VARIANTS) -> Markup:
    """``text`` escaped, with the words of ``q`` in ``<mark>``."""
    text = text[:_MAX_TEXT_CHARS]
    return _marked(text, _spans(text, query_lexemes_of(q, variants)), 0, len(text))


def snippet(text: str, q: str, length: int = 180,
            variants: Variants = ALL_VARIANTS) -> Markup | None:
    """About ``length`` characters of ``text`` around its first match of ``q``,
    escaped, matches in ``<mark>``; None when nothing in it matches."""
    text = " ".join(text[:_MAX_TEXT_CHARS].split())
    spans = _spans(text, query_lexemes_of(q, variants))
    if not spans:
        return None
    start = max(0, min(spans[0][0] - length // 4, len(text) - length))
    end = min(len(text), start + length)
    body = _marked(text, spans, start, end)
    return Markup("").join([
        Markup("…") if start > 0 else Markup(""), body,
        Markup("…") if end < len(text) else Markup("")])
