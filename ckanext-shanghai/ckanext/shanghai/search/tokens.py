"""Chinese-aware tokens for full-text search.

The index stores, for every text, its jieba words, every CJK character bigram and
every single CJK character, plus its Latin words and numbers.  A query term is
turned into the bigrams (or single character) of its CJK runs and its Latin words,
which must all be present: so any two-character substring of a title finds it,
whatever jieba made of the title.

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
from typing import Protocol, cast

import jieba

__all__ = ["index_tokens", "is_cjk_token", "query_lexemes"]

# CJK ideographs: the basic block, extension A, the compatibility block, the
# supplementary planes (extensions B to H) and 〇, the ideographic zero used in
# dates such as 二〇一六.
_CJK_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"

# A CJK run, or a word: letters/digits of any other script (underscore is a
# separator, as it is to PostgreSQL), with ".<digits>" groups kept attached so
# that "pm2.5", "3.14" and "1.2.3" stay whole; PostgreSQL's parser keeps exactly
# these shapes as one token.
_RUN_RE = re.compile(
    rf"(?P<cjk>[{_CJK_CLASS}]+)|(?P<word>(?:(?![{_CJK_CLASS}])[^\W_])+(?:\.[0-9]+)*)"
)
_CJK_ONLY_RE = re.compile(rf"[{_CJK_CLASS}]+")

# PostgreSQL ignores words over 2047 bytes; far shorter ones are already noise
# (hashes, base64), and 256 characters stay under that limit in any script.
_MAX_TOKEN_CHARS = 256


class _Segmenter(Protocol):
    """What this module uses of ``jieba.Tokenizer`` (jieba has no type hints)."""

    tmp_dir: str | None

    def initialize(self) -> None: ...

    def cut_for_search(self, sentence: str) -> Iterator[str]: ...


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


def _normalise(text: str) -> str:
    # NFKC folds full-width Latin letters, digits and punctuation (ＰＭ２．５) to
    # ASCII and compatibility ideographs to their unified forms.
    return unicodedata.normalize("NFKC", text).lower()


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


def index_tokens(text: str) -> list[str]:
    """Tokens to index ``text`` under, in order of first appearance, without repeats.

    The tokens are the jieba search-mode words made of CJK characters, every CJK
    character bigram and every single CJK character of each CJK run, and the
    lowercase Latin (or other non-CJK) words and numbers.  Punctuation and
    whitespace yield nothing.
    """
    normalised = _normalise(text)
    tokens: list[str] = []
    for match in _RUN_RE.finditer(normalised):
        run = match.group("cjk")
        if run is None:
            tokens.append(match.group("word"))
            continue
        # jieba words first: a run's most meaningful tokens get the earliest
        # positions, which ts_rank_cd rewards.
        tokens.extend(w for w in _tokenizer().cut_for_search(run) if is_cjk_token(w))
        tokens.extend(_bigrams(run))
        tokens.extend(run)
    return _dedupe(tokens)


def query_lexemes(term: str) -> list[str]:
    """The lexemes a document must all contain to match the user term ``term``.

    A CJK run of two or more characters gives its character bigrams, a single CJK
    character gives itself, a Latin word or number gives its lowercase form; a
    mixed term such as ``PM2.5浓度`` is split into its runs (``pm2.5``, ``浓度``).
    Punctuation yields nothing, so a term of punctuation only gives ``[]``.
    """
    lexemes: list[str] = []
    for match in _RUN_RE.finditer(_normalise(term)):
        run = match.group("cjk")
        if run is None:
            lexemes.append(match.group("word"))
        elif len(run) == 1:
            lexemes.append(run)
        else:
            lexemes.extend(_bigrams(run))
    return _dedupe(lexemes)
