"""File names that keep their Chinese: tidied for storage and URLs, and sent in
``Content-Disposition`` as RFC 6266 asks (an ASCII ``filename`` for old clients and the
real name, UTF-8 and percent-encoded, in ``filename*`` per RFC 5987).

Used by the portal's resource downloads and the bundles' downloads alike.
"""
from __future__ import annotations

import os
import re
import unicodedata
from urllib.parse import quote

__all__ = ["content_disposition", "tidy_file_name"]

#: As CKAN's ``munge_filename``: the longest name, and the longest extension kept.
MAX_LENGTH = 100
MAX_EXTENSION = 21


def tidy_file_name(name: str) -> str:
    """CKAN's ``munge_filename`` rules (no folders, lower case, spaces to ``-``, only
    word characters, ``.``, ``_`` and ``-``), except that letters of every script are
    kept: ``公交线路 2015.CSV`` becomes ``公交线路-2015.csv``, not ``-2015.csv``."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w. -]", "", name.lower().strip()).replace(" ", "-")
    name = re.sub(r"-+", "-", name)
    stem, extension = os.path.splitext(name)
    extension = extension[:MAX_EXTENSION]
    stem = stem[:MAX_LENGTH - len(extension)] or "file"
    return stem + extension


def content_disposition(name: str, *, inline: bool = False) -> str:
    """The ``Content-Disposition`` value that offers the file as ``name``.

    >>> print(content_disposition("公交线路.csv"))
    attachment; filename="download.csv"; filename*=UTF-8''%E5%85%AC%E4%BA%A4%E7%BA%BF%E8%B7%AF.csv
    """
    kind = "inline" if inline else "attachment"
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "", fallback).strip()
    stem, dot, extension = fallback.rpartition(".")
    if not (stem if dot else extension).strip(" .-_"):
        fallback = f"download{dot}{extension}"
    if fallback == name:
        return f'{kind}; filename="{name}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
