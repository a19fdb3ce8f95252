"""Template helpers of shanghai_search: matched words marked, relaxed searches said."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from markupsafe import Markup

from . import backend, highlight

__all__ = ["shanghai_search_highlight", "shanghai_search_relaxed", "shanghai_search_snippet"]


def shanghai_search_highlight(text: str | None, q: str | None) -> Markup:
    """``text`` escaped, with the words of the search ``q`` marked."""
    return highlight.highlight(text or "", q or "", backend.variants())


def shanghai_search_snippet(notes: str | None, q: str | None) -> Markup | None:
    """The part of a dataset's description around the words of ``q``, marked; None if none."""
    if not notes or not q:
        return None
    plain = tk.h.markdown_extract(notes, extract_length=0)
    return highlight.snippet(str(plain), q, 180, backend.variants())


def shanghai_search_relaxed() -> bool:
    """Whether this request's dataset search found only partial matches."""
    return bool(getattr(tk.g, "shanghai_search_relaxed", False))
