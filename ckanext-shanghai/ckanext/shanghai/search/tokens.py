"""Chinese-aware tokens for full-text search.

The index stores, for every text, a *sequence* part and a *tail*.  The sequence
is the text as a chain: each Latin word or number, and each CJK run as its
character bigrams in order (a one-character run as itself), so that a quoted
phrase can ask for its bigrams at adjacent positions.  The tail holds what only
needs to be present: jieba's search-mode words, every single CJK character,
the words of synonym groups the text mentions (``schemas/synonyms.yaml``) and,
for titles and tags, the pinyin of jieba's words (``gongjiao``) and their
initials (``gj``).  Traditional characters are folded to Simplified (OpenCC)
before anything else, in index and query alike.

A query term is segmented by jieba; every word must be present, as its
bigrams (so a word jieba does not know still matches by its characters), or as
any word of its synonym group.  The words need not be adjacent.

Every token this module returns is one token to PostgreSQL's default text-search
parser too (``to_tsvector('simple', ...)`` / ``to_tsquery('simple', ...)`` keep it
whole), so tokens can be joined with spaces and handed to PostgreSQL as they are.
"""
from __future__ import annotations

import functools
import logging
import os
import re
import stat
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

import jieba
import yaml

import schemas

if TYPE_CHECKING:
    import opencc

__all__ = [
    "ALL_VARIANTS",
    "CJK_CLASS",
    "Variants",
    "index_sequence",
    "index_tokens",
    "is_cjk_token",
    "phrase_lexemes",
    "query_lexemes",
    "query_words",
    "synonym_groups",
]

SYNONYMS_FILE = schemas.DIRECTORY / "synonyms.yaml"


@dataclass(frozen=True)
class Variants:
    """Which variant forms are indexed and searched (each a config switch)."""

    synonyms: bool = True
    traditional: bool = True
    pinyin: bool = True


ALL_VARIANTS = Variants()

#: CJK ideographs (a regular-expression character class, also used in SQL by
#: ``datastore.py``): the basic block, extension A, the compatibility block, the
#: supplementary planes (extensions B to H) and 〇, the ideographic zero used in
#: dates such as 二〇一六.
CJK_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"

# A CJK run, or a word: letters/digits of any other script (underscore is a
# separator, as it is to PostgreSQL), with ".<digits>" groups kept attached so
# that "pm2.5", "3.14" and "1.2.3" stay whole; PostgreSQL's parser keeps exactly
# these shapes as one token.
_RUN_RE = re.compile(
    rf"(?P<cjk>[{CJK_CLASS}]+)|(?P<word>(?:(?![{CJK_CLASS}])[^\W_])+(?:\.[0-9]+)*)"
)
_CJK_ONLY_RE = re.compile(rf"[{CJK_CLASS}]+")
_CJK_SPACE_RE = re.compile(rf"(?<=[{CJK_CLASS}])\s+(?=[{CJK_CLASS}])")

# PostgreSQL ignores words over 2047 bytes; far shorter ones are already noise
# (hashes, base64), and 256 characters stay under that limit in any script.
_MAX_TOKEN_CHARS = 256


class _Segmenter(Protocol):
    """What this module uses of ``jieba.Tokenizer`` (jieba has no type hints)."""

    tmp_dir: str | None

    def initialize(self) -> None: ...

    def cut_for_search(self, sentence: str) -> Iterator[str]: ...

    def cut(self, sentence: str) -> Iterator[str]: ...


_TOKENIZER = cast(_Segmenter, jieba.Tokenizer())
_INIT_LOCK = threading.Lock()


def _private_cache_dir() -> str:
    """A directory only this user can write, for jieba's dictionary cache.

    jieba's default is a shared file in the temp directory: a cache written there
    by another user (say root during a deployment) is unreadable or unreplaceable
    for the web server's user, and a file planted there would be loaded as ours.
    """
    uid = os.getuid()
    path = os.path.join(tempfile.gettempdir(), f"shanghai-jieba-{uid}")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.lstat(path)
        if (
            stat.S_ISDIR(info.st_mode)
            and info.st_uid == uid
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        ):
            return path
    except OSError:
        pass
    # The predictable name is taken by someone else or unusable: use a fresh
    # private directory (the cache is then rebuilt once per process).
    return tempfile.mkdtemp(prefix="shanghai-jieba-")


@functools.cache
def _tokenizer() -> _Segmenter:
    """The module's jieba tokenizer, initialised quietly on first use."""
    with _INIT_LOCK:
        # jieba logs its dictionary loading at DEBUG through its own handler.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        _TOKENIZER.tmp_dir = _private_cache_dir()
        _TOKENIZER.initialize()
    return _TOKENIZER


@functools.cache
def _t2s() -> opencc.OpenCC:
    import opencc  # noqa: PLC0415  (loaded at first use: start-up, see stack/warmup.py)

    return opencc.OpenCC("t2s")


def _normalise(text: str, variants: Variants = ALL_VARIANTS) -> str:
    # NFKC folds full-width Latin letters, digits and punctuation (ＰＭ２．５) to
    # ASCII and compatibility ideographs to their unified forms.
    text = unicodedata.normalize("NFKC", text).lower()
    if variants.traditional and _CJK_ONLY_RE.search(text):
        # Lone surrogates cannot reach OpenCC's C++ side as UTF-8.
        text = _t2s().convert(text.encode("utf-8", "replace").decode("utf-8"))
    return text


@functools.cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The synonym groups of ``schemas/synonyms.yaml``, normalised as text is."""
    data = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8")) or {}
    groups = []
    for group in data.get("groups") or []:
        words = tuple(dict.fromkeys(_normalise(str(word)) for word in group))
        if len(words) > 1:
            groups.append(words)
    return tuple(groups)


@functools.cache
def _synonyms_of() -> dict[str, tuple[str, ...]]:
    return {word: group for group in synonym_groups() for word in group}


def _dedupe(tokens: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for token in tokens:
        if token and len(token) <= _MAX_TOKEN_CHARS and token not in seen:
            seen.add(token)
            out.append(token)
    return out


def _bigrams(run: str) -> Iterator[str]:
    return (run[i : i + 2] for i in range(len(run) - 1))


def is_cjk_token(token: str) -> bool:
    """True when ``token`` consists of CJK ideographs only."""
    return _CJK_ONLY_RE.fullmatch(token) is not None


def index_sequence(text: str, variants: Variants = ALL_VARIANTS, *,
                   pinyin: bool = False) -> list[str]:
    """The tokens to index ``text`` under, sequence part first, then the tail.

    The sequence (Latin words and CJK bigram chains in text order) keeps its
    repeats, so PostgreSQL gives adjacent tokens adjacent positions; the tail
    (jieba words, single characters, synonyms, and with ``pinyin`` the pinyin
    and initials of jieba's words) only adds tokens not already there.
    """
    normalised = _normalise(text, variants)
    sequence: list[str] = []
    tail: list[str] = []
    for match in _RUN_RE.finditer(normalised):
        run = match.group("cjk")
        if run is None:
            sequence.append(match.group("word"))
            continue
        sequence.extend(_bigrams(run) if len(run) > 1 else [run])
        words = [w for w in _tokenizer().cut_for_search(run) if is_cjk_token(w)]
        tail.extend(words)
        tail.extend(run)
        if pinyin and variants.pinyin:
            tail.extend(_pinyin(words))
    if variants.synonyms:
        for word, group in _synonyms_of().items():
            if word in normalised:
                for other in group:
                    tail.append(other)
                    tail.extend(query_lexemes(other, Variants(synonyms=False)))
    sequence = [t for t in sequence if len(t) <= _MAX_TOKEN_CHARS]
    seen = set(sequence)
    return sequence + [t for t in _dedupe(tail) if t not in seen]


def _pinyin(words: Iterable[str]) -> Iterator[str]:
    """Full pinyin (``gongjiao``) and initials (``gj``) of each word."""
    for word in words:
        yield from _word_pinyin(word)


@functools.lru_cache(maxsize=1 << 16)
def _word_pinyin(word: str) -> tuple[str, ...]:
    """A word's full pinyin and initials, or nothing; remembered, since a dataset's
    words come again at each re-index and pypinyin costs most of indexing a text."""
    import pypinyin  # noqa: PLC0415  (loaded at first use: start-up, see stack/warmup.py)

    syllables = pypinyin.lazy_pinyin(word, errors="ignore")
    if not syllables:
        return ()
    return "".join(syllables), "".join(s[0] for s in syllables)


def index_tokens(text: str, variants: Variants = ALL_VARIANTS, *,
                 pinyin: bool = False) -> list[str]:
    """The distinct tokens ``text`` is indexed under, in order of first appearance.

    The lowercase Latin (or other non-CJK) words and numbers, every CJK
    character bigram, jieba's search-mode words and every single CJK character
    of each CJK run, synonyms and (with ``pinyin``) pinyin; see
    ``index_sequence``.  Punctuation and whitespace yield nothing.
    """
    return _dedupe(index_sequence(text, variants, pinyin=pinyin))


def _word_lexemes(word: str) -> list[str]:
    return [word] if len(word) < 2 or not is_cjk_token(word) else list(_bigrams(word))


def query_words(term: str, variants: Variants = ALL_VARIANTS) -> list[list[list[str]]]:
    """What a document must contain to match the user term ``term``.

    One entry per word, all required; each entry lists the word's alternatives
    (itself, then its synonyms), any of which will do; each alternative is the
    lexemes that must all be present: a CJK word gives its character bigrams
    (a single character itself), a Latin word or number its lowercase form.
    CJK runs are segmented by jieba, so 浦东空气质量 needs 浦东 and 空气质量
    anywhere, not side by side.  Punctuation yields nothing.
    """
    return [[list(alternative) for alternative in word] for word in _query_words(term, variants)]


@functools.lru_cache(maxsize=4096)
def _query_words(term: str, variants: Variants) -> tuple[tuple[tuple[str, ...], ...], ...]:
    # Cached: a query repeats its words in cost counting, compiling and relaxing.
    synonyms = _synonyms_of() if variants.synonyms else {}
    words: list[tuple[tuple[str, ...], ...]] = []
    seen: set[str] = set()
    for match in _RUN_RE.finditer(_normalise(term, variants)):
        run = match.group("cjk")
        pieces = [match.group("word")] if run is None else [
            w for w in _tokenizer().cut(run) if is_cjk_token(w)]
        for piece in pieces:
            if piece in seen or len(piece) > _MAX_TOKEN_CHARS:
                continue
            seen.add(piece)
            alternatives = synonyms.get(piece, (piece,))
            ordered = [piece, *(a for a in alternatives if a != piece)]
            words.append(tuple(tuple(_word_lexemes(a)) for a in ordered))
    return tuple(words)


def query_lexemes(term: str, variants: Variants = ALL_VARIANTS) -> list[str]:
    """Every lexeme ``query_words`` may ask for, without repeats (to count a query's cost)."""
    return _dedupe(lexeme for word in query_words(term, variants)
                   for alternative in word for lexeme in alternative)


def phrase_lexemes(phrase: str, variants: Variants = ALL_VARIANTS) -> list[str]:
    """The lexemes a quoted phrase needs at adjacent positions, in order.

    They are the phrase's own sequence part (``index_sequence``): its Latin
    words and the character bigrams of its CJK runs.  Spaces between Chinese
    characters are dropped first (Chinese is written without them), so
    "公交 线路" is the phrase 公交线路.
    """
    phrase = _CJK_SPACE_RE.sub("", _normalise(phrase, variants))
    sequence: list[str] = []
    for match in _RUN_RE.finditer(phrase):
        run = match.group("cjk")
        if run is None:
            sequence.append(match.group("word"))
        else:
            sequence.extend(_bigrams(run) if len(run) > 1 else [run])
    return [t for t in sequence if len(t) <= _MAX_TOKEN_CHARS]
