"""Action schemas of the SODA contest bundles."""
from __future__ import annotations

from ckan.logic.schema import validator_args
from ckan.types import Schema, Validator


@validator_args
def contest_create(not_empty: Validator, ignore_missing: Validator,
                   unicode_safe: Validator, shanghai_bundles_slug: Validator,
                   shanghai_bundles_edition: Validator,
                   shanghai_bundles_date: Validator) -> Schema:
    return {
        "name": [not_empty, unicode_safe, shanghai_bundles_slug],
        "title": [not_empty, unicode_safe],
        "title_en": [ignore_missing, unicode_safe],
        "edition": [not_empty, shanghai_bundles_edition],
        "theme": [ignore_missing, unicode_safe],
        "description": [ignore_missing, unicode_safe],
        "rules": [ignore_missing, unicode_safe],
        "terms": [not_empty, unicode_safe],
        "start_date": [not_empty, shanghai_bundles_date],
        "end_date": [not_empty, shanghai_bundles_date],
    }


@validator_args
def contest_update(ignore_missing: Validator, not_empty: Validator,
                   unicode_safe: Validator) -> Schema:
    """Like create, but every field is optional (only what is given changes)."""
    schema = contest_create()
    for field, validators in schema.items():
        assert isinstance(validators, list)
        schema[field] = [ignore_missing, *[v for v in validators if v is not not_empty]]
    schema["id"] = [not_empty, unicode_safe]
    return schema


@validator_args
def bundle_create(not_empty: Validator, ignore_missing: Validator,
                  unicode_safe: Validator, default: Validator,
                  shanghai_bundles_slug: Validator, shanghai_bundles_stage: Validator,
                  shanghai_bundles_access_tier: Validator,
                  shanghai_bundles_id_list: Validator) -> Schema:
    return {
        "contest": [not_empty, unicode_safe],
        "name": [not_empty, unicode_safe, shanghai_bundles_slug],
        "title": [not_empty, unicode_safe],
        "title_en": [ignore_missing, unicode_safe],
        "description": [ignore_missing, unicode_safe],
        "stage": [default("preliminary"), shanghai_bundles_stage],
        "access_tier": [not_empty, shanghai_bundles_access_tier],
        "datasets": [ignore_missing, shanghai_bundles_id_list],
        "resources": [ignore_missing, shanghai_bundles_id_list],
    }


@validator_args
def bundle_update(ignore_missing: Validator, not_empty: Validator,
                  unicode_safe: Validator, shanghai_bundles_stage: Validator) -> Schema:
    """Like create, all optional; ``datasets``/``resources`` replace the contents."""
    schema = bundle_create()
    for field, validators in schema.items():
        assert isinstance(validators, list)
        schema[field] = [ignore_missing, *[v for v in validators if v is not not_empty]]
    schema["stage"] = [ignore_missing, shanghai_bundles_stage]
    del schema["contest"]
    schema["id"] = [not_empty, unicode_safe]
    return schema


@validator_args
def bundle_ref(not_empty: Validator, ignore_missing: Validator,
               unicode_safe: Validator, int_validator: Validator) -> Schema:
    """A bundle by ``id``, or by ``contest`` + ``name``; ``version`` optional."""
    return {
        "id": [ignore_missing, unicode_safe],
        "contest": [ignore_missing, unicode_safe],
        "name": [ignore_missing, unicode_safe],
        "version": [ignore_missing, int_validator],
        "notes": [ignore_missing, unicode_safe],
    }


@validator_args
def bundle_list(ignore_missing: Validator, unicode_safe: Validator) -> Schema:
    return {"contest": [ignore_missing, unicode_safe]}


@validator_args
def team_register(not_empty: Validator, ignore_missing: Validator,
                  unicode_safe: Validator, shanghai_bundles_slug: Validator,
                  shanghai_bundles_id_list: Validator) -> Schema:
    return {
        "contest": [not_empty, unicode_safe],
        "name": [not_empty, unicode_safe, shanghai_bundles_slug],
        "title": [not_empty, unicode_safe],
        "institution": [ignore_missing, unicode_safe],
        "members": [ignore_missing, shanghai_bundles_id_list],
    }


@validator_args
def team_ref(not_empty: Validator, ignore_missing: Validator,
             unicode_safe: Validator, boolean_validator: Validator) -> Schema:
    """A team by ``id``, or by ``contest`` + ``name``."""
    return {
        "id": [ignore_missing, unicode_safe],
        "contest": [ignore_missing, unicode_safe],
        "name": [ignore_missing, unicode_safe],
        "accept": [ignore_missing, boolean_validator],
        "verified": [ignore_missing, boolean_validator],
        "note": [ignore_missing, unicode_safe],
    }
