"""The spec tables of the seed catalogue, one module per data domain.

``DOMAINS`` lists the twelve domains of ``schemas/domains.yaml`` in catalogue-code order
(their position is the domain number of a catalogue code); ``CATALOGUE`` maps each to
its module's ``SPECS``.
"""
from __future__ import annotations

from catalog_seed.dsl import Spec
from catalog_seed.specs import (
    credit,
    culture,
    economy,
    education,
    environment,
    health,
    institutions,
    livelihood,
    safety,
    society,
    transport,
    urban,
)
from ckanext.shanghai.common import vocabulary

__all__ = ["CATALOGUE", "DOMAINS"]

# The twelve data domains (数据领域), in catalogue-code order: code → (中文, English),
# as the portal's domains file has them.
DOMAINS: dict[str, tuple[str, str]] = {d.code: (d.title, d.title_en) for d in vocabulary.domains()}
CATALOGUE: dict[str, tuple[Spec, ...]] = {
    "economy": economy.SPECS,
    "environment": environment.SPECS,
    "education": education.SPECS,
    "transport": transport.SPECS,
    "society": society.SPECS,
    "safety": safety.SPECS,
    "culture": culture.SPECS,
    "health": health.SPECS,
    "livelihood": livelihood.SPECS,
    "institutions": institutions.SPECS,
    "urban": urban.SPECS,
    "credit": credit.SPECS,
}
if list(CATALOGUE) != list(DOMAINS):
    raise RuntimeError(f"the seed's spec modules {list(CATALOGUE)} are not the domains {list(DOMAINS)}")
