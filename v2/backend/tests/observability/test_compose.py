"""docker-compose.yml: parses, runs every part of the stack, pins images, configures the app."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from app.core.config import Settings

ROOT = Path(__file__).resolve().parents[4]
STACK = {"app", "postgres", "prometheus", "grafana", "otel-collector", "acexy", "acestream", "warp"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_every_part_of_the_stack_is_a_service(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == STACK
    readme = (ROOT / "README.md").read_text()
    for service in STACK:
        assert f"`{service}`" in readme, f"README does not name the {service} service"


def test_images_are_pinned_by_tag(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        if "build" in service:
            continue
        image = service["image"]
        repository, _, tag = image.rpartition(":")
        assert repository, f"{name}: {image} has no tag"
        assert tag not in {"", "latest"}, f"{name}: {image} is not pinned"


def test_services_have_healthchecks_except_the_distroless_collector(
    compose: dict[str, Any],
) -> None:
    for name, service in compose["services"].items():
        if name != "otel-collector":
            assert "healthcheck" in service, name


def test_the_app_reads_only_known_variables_and_every_other_is_documented(
    compose: dict[str, Any],
) -> None:
    known = {name.upper() for name in Settings.model_fields}
    environment = set(compose["services"]["app"]["environment"])
    assert environment <= known, f"unknown variables: {environment - known}"
    readme = (ROOT / "README.md").read_text()
    for variable in known - environment:
        assert f"| `{variable}` |" in readme, f"{variable} is neither set nor documented"


def test_the_app_reaches_its_peers_by_service_name(compose: dict[str, Any]) -> None:
    environment = compose["services"]["app"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["ACEXY_URL"] == "http://acexy:8080"
    assert environment["ACESTREAM_ENGINE_URL"] == "http://acestream:6878"
    assert environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318"


def test_mounted_config_exists_in_the_repository(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"
