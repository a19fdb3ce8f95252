"""Action schemas of the validation plugin."""
from __future__ import annotations

from ckan.logic.schema import validator_args
from ckan.types import Schema, Validator


@validator_args
def resource_ref(not_empty: Validator, unicode_safe: Validator) -> Schema:
    """A resource by ``id``."""
    return {"id": [not_empty, unicode_safe]}


@validator_args
def dataset_ref(not_empty: Validator, unicode_safe: Validator) -> Schema:
    """A dataset by ``id`` or name."""
    return {"id": [not_empty, unicode_safe]}


@validator_args
def queue_listing(ignore_missing: Validator, int_validator: Validator,
                  is_positive_integer: Validator) -> Schema:
    """How many jobs of each kind to list (``limit``, at most 1000)."""
    return {"limit": [ignore_missing, int_validator, is_positive_integer]}
