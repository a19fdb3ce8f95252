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

__all__ = ["CATALOGUE", "DOMAINS"]

# The twelve data domains (数据领域), in catalogue-code order: code → (中文, English).
DOMAINS: dict[str, tuple[str, str]] = {
    "economy": ("经济建设", "Economic development"),
    "environment": ("资源环境", "Resources & environment"),
    "education": ("教育科技", "Education, science & technology"),
    "transport": ("道路交通", "Road traffic & transport"),
    "society": ("社会发展", "Social development"),
    "safety": ("公共安全", "Public safety"),
    "culture": ("文化休闲", "Culture & leisure"),
    "health": ("卫生健康", "Health"),
    "livelihood": ("民生服务", "Public & livelihood services"),
    "institutions": ("机构团体", "Institutions & organisations"),
    "urban": ("城市建设", "Urban construction"),
    "credit": ("信用服务", "Credit services"),
}
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
