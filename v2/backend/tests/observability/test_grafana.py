"""grafana/: the provisioned data source, the dashboards and the Grafana-managed alert rules
fit together (one data source uid everywhere) and are complete enough to load and read."""

from pathlib import Path
from typing import Any

import pytest

from tests.observability.expressions import (
    DATASOURCE_UID,
    GRAFANA_PROVISIONING_DIR,
    dashboard_files,
    data_panels,
    grafana_alert_rules,
    grafana_alerting_files,
    iter_panels,
    load_json,
    load_yaml,
)

DATASOURCE = {"type": "prometheus", "uid": DATASOURCE_UID}
EXPRESSION_UID = "__expr__"
NO_DATA_STATES = {"OK", "NoData", "Alerting", "KeepLast"}
EXEC_ERROR_STATES = {"OK", "Error", "Alerting", "KeepLast"}


@pytest.fixture(scope="module")
def dashboards() -> list[dict[str, Any]]:
    files = dashboard_files()
    assert files, "no dashboards in grafana/dashboards"
    return [load_json(path) for path in files]


@pytest.fixture(scope="module")
def overview(dashboards: list[dict[str, Any]]) -> dict[str, Any]:
    [board] = [board for board in dashboards if board["uid"] == "acestream-overview"]
    return board


def test_the_datasource_is_provisioned_under_the_uid_everything_uses() -> None:
    config = load_yaml(GRAFANA_PROVISIONING_DIR / "datasources" / "prometheus.yml")
    assert config["apiVersion"] == 1
    [datasource] = config["datasources"]
    assert datasource["uid"] == DATASOURCE_UID
    assert datasource["type"] == "prometheus"
    assert datasource["url"] == "http://prometheus:9090"
    assert datasource["isDefault"] is True


def test_the_dashboard_provider_loads_the_mounted_folder() -> None:
    config = load_yaml(GRAFANA_PROVISIONING_DIR / "dashboards" / "acestream.yml")
    assert config["apiVersion"] == 1
    [provider] = config["providers"]
    assert provider["type"] == "file"
    assert provider["folder"] == "AceStream"
    assert provider["options"]["path"] == "/var/lib/grafana/dashboards"


def test_dashboards_have_unique_fixed_uids_and_no_id(dashboards: list[dict[str, Any]]) -> None:
    uids = [board["uid"] for board in dashboards]
    assert all(uids), "a dashboard has no uid"
    assert len(uids) == len(set(uids))
    for board in dashboards:
        assert board["id"] is None, f"{board['uid']}: id must be null for provisioning"
        assert board["title"]


def test_the_overview_board_settings(overview: dict[str, Any]) -> None:
    assert overview["title"] == "AceStream scraper"
    assert overview["refresh"] == "30s"
    assert overview["time"] == {"from": "now-6h", "to": "now"}
    assert overview["schemaVersion"] >= 36


def test_every_panel_queries_the_provisioned_datasource(dashboards: list[dict[str, Any]]) -> None:
    for board in dashboards:
        for panel in data_panels(board):
            where = f"{board['uid']}: {panel.get('title')!r}"
            assert panel.get("datasource") == DATASOURCE, where
            assert panel.get("targets"), f"{where} has no query"
            for target in panel["targets"]:
                assert target.get("datasource", DATASOURCE) == DATASOURCE, where
                assert target.get("expr", "").strip(), f"{where} has an empty query"
                assert target.get("refId"), f"{where} has a query without refId"


def test_every_panel_says_its_unit(dashboards: list[dict[str, Any]]) -> None:
    for board in dashboards:
        for panel in data_panels(board):
            unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit")
            assert unit, f"{board['uid']}: {panel.get('title')!r} has no unit"


def test_panel_ids_are_unique_and_panels_have_a_place(dashboards: list[dict[str, Any]]) -> None:
    for board in dashboards:
        panels = list(iter_panels(board["panels"]))
        ids = [panel["id"] for panel in panels]
        assert len(ids) == len(set(ids)), board["uid"]
        for panel in panels:
            assert {"x", "y", "w", "h"} <= set(panel["gridPos"]), panel.get("title")
            assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24, panel.get("title")


def test_panels_nested_in_rows_are_found() -> None:
    board = {
        "panels": [
            {"type": "row", "title": "collapsed", "panels": [{"type": "stat", "title": "inner"}]},
            {"type": "timeseries", "title": "outer"},
        ]
    }
    assert [panel["title"] for panel in data_panels(board)] == ["inner", "outer"]


def test_the_overview_shows_what_an_operator_looks_for(overview: dict[str, Any]) -> None:
    panels = data_panels(overview)
    exprs = " ".join(target["expr"] for panel in panels for target in panel["targets"])
    for metric in (
        "acestream_active_streams",
        "acestream_acexy_up",
        "acestream_engine_up",
        "acestream_warp_status",
        "acestream_task_last_success_timestamp_seconds",
        "acestream_task_duration_seconds_bucket",
        "acestream_task_runs_total",
        "acestream_activity_events_total",
        "acestream_http_request_duration_seconds_bucket",
        "acestream_http_requests_total",
        "acestream_task_overdue",
        "acestream_stream_clients",
        "acestream_stream_peers",
        "acestream_stream_download_bytes_per_second",
        "acestream_stream_upload_bytes_per_second",
        "acestream_stream_stalled",
    ):
        assert metric in exprs, f"no panel shows {metric}"
    assert "[$__rate_interval]" in exprs
    warp = [panel for panel in panels if "acestream_warp_status" in str(panel["targets"])]
    assert [panel["type"] for panel in warp] == ["state-timeline"]
    assert warp[0]["fieldConfig"]["defaults"]["mappings"], "the WARP states need value mappings"


def test_now_playing_is_one_row_per_stream_with_every_figure(overview: dict[str, Any]) -> None:
    [table] = [panel for panel in data_panels(overview) if panel["title"] == "Now playing"]
    assert table["type"] == "table"
    for target in table["targets"]:
        # One table per figure, joined on the stream's labels by the merge transformation.
        assert target["format"] == "table", target["refId"]
        assert target["instant"] is True, target["refId"]
        assert target["expr"].startswith("max by (channel, stream_id) ("), target["refId"]
    transformations = [step["id"] for step in table["transformations"]]
    assert transformations == ["merge", "organize"]
    names = table["transformations"][1]["options"]["renameByName"]
    refs = {f"Value #{target['refId']}" for target in table["targets"]}
    assert refs <= set(names), "a figure's column has no name"
    columns = {
        override["matcher"]["options"]: override["properties"]
        for override in table["fieldConfig"]["overrides"]
    }
    assert {"Download", "Upload", "Stalled"} <= set(columns)
    assert {"id": "unit", "value": "binBps"} in columns["Download"]


def _alert_rules() -> list[dict[str, Any]]:
    assert grafana_alerting_files(), "no alert rules in grafana/provisioning/alerting"
    rules = grafana_alert_rules()
    assert rules
    return rules


def test_grafana_alert_groups_are_provisionable() -> None:
    for path in grafana_alerting_files():
        config = load_yaml(path)
        assert config["apiVersion"] == 1, path.name
        for group in config["groups"]:
            assert group["orgId"] == 1
            assert group["name"]
            assert group["folder"] == "AceStream"
            assert group["interval"] == "1m"


def test_grafana_alert_rules_have_unique_uids_and_say_what_is_wrong() -> None:
    rules = _alert_rules()
    uids = [rule["uid"] for rule in rules]
    assert all(uids)
    assert len(uids) == len(set(uids))
    for rule in rules:
        assert rule["title"], rule["uid"]
        assert rule["annotations"]["summary"].strip(), rule["uid"]
        assert rule["annotations"]["description"].strip(), rule["uid"]
        assert rule["labels"]["severity"] in {"critical", "warning"}, rule["uid"]
        assert rule["noDataState"] in NO_DATA_STATES, rule["uid"]
        assert rule["execErrState"] in EXEC_ERROR_STATES, rule["uid"]
        assert rule["for"], rule["uid"]


def test_grafana_alert_rules_query_the_provisioned_datasource() -> None:
    for rule in _alert_rules():
        data = {query["refId"]: query for query in rule["data"]}
        assert rule["condition"] in data, f"{rule['uid']}: condition names no query"
        queries = [query for query in rule["data"] if query["datasourceUid"] != EXPRESSION_UID]
        assert queries, f"{rule['uid']} queries nothing"
        for query in queries:
            assert query["datasourceUid"] == DATASOURCE_UID, rule["uid"]
            assert query["model"]["expr"].strip(), rule["uid"]
        for query in rule["data"]:
            if query["datasourceUid"] == EXPRESSION_UID:
                # Math, reduce and threshold steps read earlier steps by refId.
                assert query["model"]["expression"] in data, rule["uid"]


def test_grafana_alerts_cover_the_key_conditions() -> None:
    exprs = " ".join(
        query["model"].get("expr", "") for rule in _alert_rules() for query in rule["data"]
    )
    for metric in (
        'acestream_task_status{status="error"}',
        "acestream_task_overdue",
        "acestream_warp_connected",
        "acestream_acexy_up",
        "acestream_engine_up",
        'acestream_activity_events_total{type="error"}',
        "acestream_stream_stalled",
    ):
        assert metric in exprs, f"no Grafana alert reads {metric}"


def test_provisioning_files_are_in_the_folders_grafana_reads() -> None:
    expected = {"alerting", "dashboards", "datasources"}
    present = {path.name for path in GRAFANA_PROVISIONING_DIR.iterdir() if path.is_dir()}
    assert expected <= present
    for folder in expected:
        files = list(Path(GRAFANA_PROVISIONING_DIR, folder).glob("*.yml"))
        assert files, f"grafana/provisioning/{folder} is empty"
