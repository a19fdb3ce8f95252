"""Every ``ckanext.shanghai.*`` option is declared, and the declarations are sound.

The source tree is walked (not a list of files), so a module or a declaration that
moves is still found.
"""
from __future__ import annotations

import importlib.util
import re
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

import pytest
import yaml
from ckan.config.declaration import Declaration

ROOT = Path(__file__).resolve().parents[1]
#: Where our options are read, declared or documented.
SOURCES = [ROOT / "ckanext-shanghai", ROOT / "harvesters", ROOT / "catalog_seed", ROOT / "bench",
           ROOT / "README.md", ROOT / "docs"]
SUFFIXES = {".py", ".yaml", ".yml", ".template", ".ini", ".md", ".html", ".rst"}
KEY = re.compile(r"ckanext\.shanghai\.[A-Za-z0-9_.]*[A-Za-z0-9_]")


def _files() -> list[Path]:
    found: list[Path] = []
    for source in SOURCES:
        paths = [source] if source.is_file() else source.rglob("*")
        found.extend(path for path in paths
                     if path.is_file() and path.suffix in SUFFIXES and "i18n" not in path.parts)
    return found


def _declarations() -> list[Path]:
    return sorted(path for source in SOURCES if source.is_dir()
                  for path in source.rglob("config_declaration.yaml"))


def _options(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text())
    return [option for group in data["groups"] for option in group["options"]]


def _spec(name: str) -> ModuleSpec | None:
    try:
        return importlib.util.find_spec(name)
    except ImportError:
        return None


def _is_code(name: str) -> bool:
    """Whether a dotted name is a module of ours or something one defines at its top
    level (a job's function, a plugin class) or imports there, not an option. Nothing is
    imported."""
    if _spec(name) is not None:
        return True
    parent, _, last = name.rpartition(".")
    spec = _spec(parent)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return False
    defined = re.compile(rf"^(?:def|class) {last}\b|^{last}\s*[:=]|^from \S+ import [^#\n]*\b{last}\b",
                         re.MULTILINE)
    return bool(defined.search(Path(spec.origin).read_text()))


def test_every_option_named_in_the_sources_is_declared() -> None:
    declared = {option["key"] for path in _declarations() for option in _options(path)}
    named: dict[str, set[str]] = {}
    for path in _files():
        for key in KEY.findall(path.read_text(encoding="utf-8", errors="replace")):
            if key not in declared and not _is_code(key):
                named.setdefault(key, set()).add(str(path.relative_to(ROOT)))
    assert not named, f"options read or documented but not in any config_declaration.yaml: {named}"


def test_the_scan_finds_the_declarations_and_the_options_read() -> None:
    declarations = _declarations()
    assert len(declarations) >= 5  # shanghai, search, validation, bundles, the harvester
    read = {key for path in _files() if path.suffix == ".py"
            for key in KEY.findall(path.read_text()) if not _is_code(key)}
    assert {"ckanext.shanghai.search.max_terms", "ckanext.shanghai.max_body_kb",
            "ckanext.shanghai.harvest.allowed_hosts"} <= read


@pytest.mark.parametrize("path", _declarations(), ids=lambda path: path.parent.name)
def test_each_option_has_a_description_a_default_and_a_type(path: Path) -> None:
    for option in _options(path):
        key = option["key"]
        assert key.startswith("ckanext.shanghai."), key
        assert len(option.get("description", "").split()) >= 5, f"{key}: describe it"
        assert "default" in option or option.get("required"), f"{key}: no default"
        assert "example" in option, f"{key}: no example"
        if isinstance(option.get("default"), int | float) and not isinstance(option["default"], bool):
            assert option.get("type") in ("int", "float"), f"{key}: a number needs its type"


@pytest.mark.parametrize("path", _declarations(), ids=lambda path: path.parent.name)
def test_defaults_and_examples_pass_the_declared_validators(path: Path) -> None:
    declaration = Declaration()
    declaration.load_dict(yaml.safe_load(path.read_text()))
    options = _options(path)
    for field in ("default", "example"):
        config = {option["key"]: str(option[field]) for option in options if field in option}
        _, errors = declaration.validate(config)
        assert not errors, f"{path}: {field}s fail their validators: {errors}"


def test_limits_refuse_nonsense() -> None:
    """The validators are there: a limit of zero, a negative offset or a word is refused."""
    declaration = Declaration()
    config: dict[str, str] = {}
    for path in _declarations():
        declaration.load_dict(yaml.safe_load(path.read_text()))
        config.update({option["key"]: str(option["default"]) for option in _options(path)})
    config.update({"ckanext.shanghai.search.max_terms": "0",
                   "ckanext.shanghai.max_body_kb": "a lot",
                   "ckanext.shanghai.search.max_start": "-1"})
    _, errors = declaration.validate(config)
    assert set(errors) == {"ckanext.shanghai.search.max_terms", "ckanext.shanghai.max_body_kb",
                           "ckanext.shanghai.search.max_start"}
