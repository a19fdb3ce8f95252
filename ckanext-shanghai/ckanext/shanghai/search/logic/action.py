"""The search plugin's chained actions."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from .. import datastore as datastore_search_text

__all__ = ["datastore_search"]


@tk.chained_action
@tk.side_effect_free
def datastore_search(up_func: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """CKAN's ``datastore_search``, with a string ``q`` searched as Chinese words and
    substrings (see ``search/datastore.py``); everything else, and the ``q`` the
    caller sees in the result, unchanged."""
    q = data_dict.get("q")
    text = datastore_search_text.query_text(q)
    if text is None:
        return up_func(context, data_dict)
    result = up_func(context, dict(data_dict, q=text))
    if isinstance(result, dict) and "q" in result:
        result["q"] = q
    return result
