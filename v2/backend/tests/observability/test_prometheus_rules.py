"""prometheus/: the config and rules pass promtool, the rule unit tests pass and cover every
alert firing and not firing, and every metric that a rule or board reads is one the service
exports.

The promtool checks skip without Debian's `prometheus` package unless REQUIRE_PROMETHEUS=1,
which makes them fail instead.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import build_test_settings
from tests.observability.expressions import (
    PROMETHEUS_CONFIG,
    ROOT,
    SCRAPE_JOB,
    alerting_rules,
    all_promql_expressions,
    expressions_referring_to_our_metrics,
    load_yaml,
    metric_names,
    prometheus_rule_files,
    prometheus_test_files,
    recording_rules,
)

REQUIRE_PROMETHEUS = os.environ.get("REQUIRE_PROMETHEUS") == "1"
SEVERITIES = {"critical", "warning"}
RECORDING_RULE_NAME = re.compile(r"^acestream:[a-z0-9_]+(:[a-z0-9_]+)?$")
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


@pytest.fixture(scope="module")
def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        message = "promtool is not installed (Debian package `prometheus`)"
        if REQUIRE_PROMETHEUS:
            pytest.fail(message)
        pytest.skip(f"{message}; REQUIRE_PROMETHEUS=1 makes this a failure")
    return path


def _run_promtool(promtool: str, *args: str) -> str:
    result = subprocess.run(
        [promtool, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"promtool {' '.join(args)} failed:\n{output}"
    return output


def _relative(paths: list[Path]) -> list[str]:
    assert paths, "no files found"
    return [str(path.relative_to(ROOT)) for path in paths]


def _rule_tests() -> list[dict[str, Any]]:
    tests: list[dict[str, Any]] = []
    for path in prometheus_test_files():
        tests.extend(load_yaml(path)["tests"])
    return tests


def test_prometheus_config_passes_promtool(promtool: str) -> None:
    _run_promtool(promtool, "check", "config", str(PROMETHEUS_CONFIG.relative_to(ROOT)))


def test_rule_files_pass_promtool(promtool: str) -> None:
    output = _run_promtool(promtool, "check", "rules", *_relative(prometheus_rule_files()))
    assert "SUCCESS" in output


def test_rule_unit_tests_pass(promtool: str) -> None:
    output = _run_promtool(promtool, "test", "rules", *_relative(prometheus_test_files()))
    assert "SUCCESS" in output


def test_config_scrapes_the_service_and_loads_the_rules() -> None:
    config = load_yaml(PROMETHEUS_CONFIG)
    assert config["global"]["scrape_interval"] == "15s"
    assert config["global"]["evaluation_interval"] == "15s"
    assert config["rule_files"] == ["rules/*.yml"]
    [job] = [job for job in config["scrape_configs"] if job["job_name"] == SCRAPE_JOB]
    assert job["metrics_path"] == "/metrics"
    assert job["static_configs"] == [{"targets": ["app:8000"]}]


def test_every_alert_says_what_is_wrong_and_how_bad() -> None:
    alerts = alerting_rules()
    assert alerts
    for rule in alerts:
        name = rule["alert"]
        annotations = rule.get("annotations", {})
        assert annotations.get("summary", "").strip(), f"{name} has no summary"
        assert annotations.get("description", "").strip(), f"{name} has no description"
        assert rule.get("labels", {}).get("severity") in SEVERITIES, f"{name}: bad severity"


def test_alert_names_are_unique() -> None:
    names = [rule["alert"] for rule in alerting_rules()]
    assert len(names) == len(set(names))


def test_every_alert_is_unit_tested_firing_and_not_firing() -> None:
    firing: set[str] = set()
    silent: set[str] = set()
    for test in _rule_tests():
        for case in test.get("alert_rule_test", []):
            if case.get("exp_alerts"):
                firing.add(case["alertname"])
            elif "exp_alerts" in case:
                silent.add(case["alertname"])
    alerts = {rule["alert"] for rule in alerting_rules()}
    assert alerts - firing == set(), "alerts never expected to fire"
    assert alerts - silent == set(), "alerts never expected to stay silent (exp_alerts: [])"
    assert (firing | silent) - alerts == set(), "tests of alerts that do not exist"


def test_every_recording_rule_is_unit_tested() -> None:
    tested = " ".join(
        case["expr"] for test in _rule_tests() for case in test.get("promql_expr_test", [])
    )
    for rule in recording_rules():
        assert RECORDING_RULE_NAME.match(rule["record"]), rule["record"]
        assert rule["record"] in tested, f"{rule['record']} has no promql_expr_test"


def test_every_expression_is_found_and_has_no_grafana_variable_left() -> None:
    expressions = all_promql_expressions()
    sources = [expression.source for expression in expressions]
    assert len(sources) == len(set(sources)), "two expressions share a source label"
    for expression in expressions:
        assert expression.expr.strip(), expression.source
        assert "$" not in expression.expr, expression.source
    for kind in ("dashboard ", "grafana alert ", "prometheus alert ", "prometheus record "):
        assert any(source.startswith(kind) for source in sources), f"no {kind.strip()}"


def _exported_metric_names(tmp_path: Path) -> set[str]:
    """The sample names the service's /metrics can carry, from its `# TYPE` lines."""
    settings = build_test_settings(f"sqlite:///{tmp_path / 'acestream.db'}", tmp_path)
    with TestClient(create_app(settings)) as client:
        exposition = client.get("/metrics").text
    names: set[str] = set()
    for line in exposition.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            names.add(name)
            if kind == "histogram":
                names.update(name + suffix for suffix in HISTOGRAM_SUFFIXES)
    return names


def test_rules_and_boards_read_only_metrics_the_service_exports(tmp_path: Path) -> None:
    exported = _exported_metric_names(tmp_path)
    expressions = expressions_referring_to_our_metrics()
    assert expressions
    for expression in expressions:
        unknown = metric_names(expression.expr) - exported
        assert not unknown, f"{expression.source} reads {unknown}, which /metrics never has"
