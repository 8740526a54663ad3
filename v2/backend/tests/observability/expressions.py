"""Every PromQL expression the repository ships, read from the files Prometheus and Grafana load.

Sources: the Grafana dashboards (grafana/dashboards/*.json, rows included), the Grafana-managed
alert rules (grafana/provisioning/alerting/*.yml, queries against Prometheus only, not the
`__expr__` math) and the Prometheus rules (prometheus/rules/*.yml, recording and alerting).
Grafana's template variables are replaced so that each expression is plain PromQL that a
Prometheus can evaluate as it is.
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parents[4]
PROMETHEUS_CONFIG = ROOT / "prometheus" / "prometheus.yml"
PROMETHEUS_RULES_DIR = ROOT / "prometheus" / "rules"
PROMETHEUS_TESTS_DIR = ROOT / "prometheus" / "tests"
GRAFANA_DIR = ROOT / "grafana"
GRAFANA_DASHBOARDS_DIR = GRAFANA_DIR / "dashboards"
GRAFANA_PROVISIONING_DIR = GRAFANA_DIR / "provisioning"

DATASOURCE_UID = "acestream-prometheus"
SCRAPE_JOB = "acestream-scraper"

# Grafana substitutes these before sending a query; 1m is what $__rate_interval becomes with
# the data source's 15 s scrape interval (four of them) on a short time range.
GRAFANA_VARIABLES = {
    "$__rate_interval": "1m",
    "$__interval": "1m",
}
_GRAFANA_VARIABLE = re.compile(r"\$__rate_interval\b|\$__interval\b")
_OUR_METRIC = re.compile(r"\bacestream_[a-z0-9_]+")


class PromQLExpression(NamedTuple):
    """One expression and where it comes from, e.g. `dashboard acestream-overview: Title [A]`."""

    source: str
    expr: str


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def prometheus_rule_files() -> list[Path]:
    return sorted(PROMETHEUS_RULES_DIR.glob("*.yml"))


def prometheus_test_files() -> list[Path]:
    return sorted(PROMETHEUS_TESTS_DIR.glob("*.yml"))


def dashboard_files() -> list[Path]:
    return sorted(GRAFANA_DASHBOARDS_DIR.glob("*.json"))


def grafana_alerting_files() -> list[Path]:
    return sorted((GRAFANA_PROVISIONING_DIR / "alerting").glob("*.yml"))


def prometheus_rules() -> list[dict[str, Any]]:
    """Every rule (recording and alerting) of every rule file, in file order."""
    rules: list[dict[str, Any]] = []
    for path in prometheus_rule_files():
        for group in load_yaml(path)["groups"]:
            rules.extend(group["rules"])
    return rules


def alerting_rules() -> list[dict[str, Any]]:
    return [rule for rule in prometheus_rules() if "alert" in rule]


def recording_rules() -> list[dict[str, Any]]:
    return [rule for rule in prometheus_rules() if "record" in rule]


def grafana_alert_rules() -> list[dict[str, Any]]:
    """Every Grafana-managed alert rule of every alerting provisioning file."""
    rules: list[dict[str, Any]] = []
    for path in grafana_alerting_files():
        for group in load_yaml(path).get("groups", []):
            rules.extend(group["rules"])
    return rules


def iter_panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every panel, those inside (collapsed) rows included; rows themselves too."""
    for panel in panels:
        yield panel
        yield from iter_panels(panel.get("panels", []))


def data_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    """The panels that show data: every panel but the rows that group them."""
    return [panel for panel in iter_panels(dashboard["panels"]) if panel["type"] != "row"]


def substitute_grafana_variables(expr: str) -> str:
    return _GRAFANA_VARIABLE.sub(lambda match: GRAFANA_VARIABLES[match.group(0)], expr)


def _dashboard_expressions() -> Iterator[PromQLExpression]:
    for path in dashboard_files():
        dashboard = load_json(path)
        for panel in data_panels(dashboard):
            for target in panel.get("targets", []):
                source = f"dashboard {dashboard['uid']}: {panel['title']} [{target['refId']}]"
                yield PromQLExpression(source, substitute_grafana_variables(target["expr"]))


def _grafana_alert_expressions() -> Iterator[PromQLExpression]:
    for rule in grafana_alert_rules():
        for query in rule["data"]:
            if query["datasourceUid"] == DATASOURCE_UID:
                source = f"grafana alert {rule['uid']} [{query['refId']}]"
                expr = substitute_grafana_variables(query["model"]["expr"])
                yield PromQLExpression(source, expr)


def _prometheus_rule_expressions() -> Iterator[PromQLExpression]:
    for rule in prometheus_rules():
        if "alert" in rule:
            yield PromQLExpression(f"prometheus alert {rule['alert']}", rule["expr"])
        else:
            yield PromQLExpression(f"prometheus record {rule['record']}", rule["expr"])


def all_promql_expressions() -> list[PromQLExpression]:
    """Every PromQL expression of the dashboards, Grafana alert rules and Prometheus rules."""
    return [
        *_dashboard_expressions(),
        *_grafana_alert_expressions(),
        *_prometheus_rule_expressions(),
    ]


def metric_names(expr: str) -> set[str]:
    """The service's metric names (`acestream_*`) an expression mentions."""
    return set(_OUR_METRIC.findall(expr))


def expressions_referring_to_our_metrics() -> list[PromQLExpression]:
    """The expressions that read at least one of the service's own `acestream_*` metrics."""
    return [expression for expression in all_promql_expressions() if metric_names(expression.expr)]
