"""docker/: compose.yaml has every role, scales web, keeps data in named volumes and
secrets in files; every variable it uses is in .env.example; the image bakes in no secret,
runs as non-root, has a health check and no dev or test requirements."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

DOCKER = Path(__file__).resolve().parents[2] / "docker"
COMPOSE = (DOCKER / "compose.yaml").read_text(encoding="utf-8")
DOCKERFILE = (DOCKER / "Dockerfile").read_text(encoding="utf-8")


def test_every_role_is_a_service_running_the_stack_entry_points():
    services = yaml.safe_load(COMPOSE)["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "harvest", "proxy"}
    commands = {name: services[name]["command"] for name in ("web", "worker", "harvest")}
    assert commands == {"web": ["web"], "worker": ["worker"], "harvest": ["harvest"]}
    assert services["migrate"]["command"].split()[0] == "migrate"
    assert services["migrate"]["restart"] == "no"
    for role in ("web", "worker", "harvest"):
        assert services[role]["depends_on"]["migrate"]["condition"] == \
            "service_completed_successfully"
    # --scale web=N needs no fixed container name or host port on web.
    assert "container_name" not in services["web"] and "ports" not in services["web"]
    assert re.match(r"postgres:1[67]", services["db"]["image"])


def test_data_in_named_volumes_and_secrets_in_files():
    compose = yaml.safe_load(COMPOSE)
    assert {"storage", "pgdata"} <= set(compose["volumes"])
    services = compose["services"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "storage:/var/lib/ckan/storage" in services["web"]["volumes"]
    for name, service in services.items():
        for key in service.get("environment") or {}:
            if re.search(r"PASSWORD|SECRET|DATABASE_URL|DATASTORE_\w*_URL", key):
                assert key.endswith("_FILE"), f"{name}: {key} is a secret in the environment"
    assert all("file" in secret for secret in compose["secrets"].values())


def test_every_variable_compose_uses_is_in_env_example():
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", COMPOSE))
    listed = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", (DOCKER / ".env.example").read_text(),
                            re.MULTILINE))
    assert used and used <= listed, used - listed


def test_the_image_is_slim_non_root_healthchecked_and_holds_no_secret():
    stages = re.findall(r"^FROM (\S+)", DOCKERFILE, re.MULTILINE)
    assert len(stages) >= 2 and all("slim" in stage for stage in stages)
    final = DOCKERFILE.split("\nFROM ")[-1]
    assert re.search(r"^USER (?!root)\w+", final, re.MULTILINE)
    assert re.search(r"^HEALTHCHECK .*\n.*status_show", final, re.MULTILINE)
    assert "requirements-dev" not in DOCKERFILE
    assert not re.search(r"^(ENV|ARG)\b.*(PASSWORD|SECRET|TOKEN)", DOCKERFILE,
                         re.MULTILINE | re.IGNORECASE)
    copied = re.findall(r"^COPY (?!--from)(\S+)", DOCKERFILE, re.MULTILINE)
    assert not any(path.startswith(".var") or path == "." for path in copied)
    assert "pybabel compile" in DOCKERFILE


def test_nginx_template_names_only_what_compose_fills_in():
    names = set(re.findall(r"\$\{([A-Z_]+)\}", (DOCKER / "nginx.conf").read_text()))
    proxy = yaml.safe_load(COMPOSE)["services"]["proxy"]["environment"]
    assert names <= set(proxy), names - set(proxy)
