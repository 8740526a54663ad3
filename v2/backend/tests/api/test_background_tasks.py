import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from tests.conftest import RunTask, SettingsFactory
from tests.factories import all_activity
from tests.fakes.web import Page, Site, serve_pages
from tests.runs import RunWatcher

TASKS = [
    "scrape",
    "epg_refresh",
    "playlist_generation",
    "status_check",
    "stream_sweep",
    "activity_cleanup",
    "notifications",
]
TOKEN = "s3cret-token-0123456789"


def _status(client: TestClient, name: str) -> dict[str, object]:
    tasks = client.get("/api/v1/background-tasks/status").json()["tasks"]
    [task] = [task for task in tasks if task["task_name"] == name]
    return task  # type: ignore[no-any-return]


def test_a_fresh_install_lists_every_task_pending(client: TestClient) -> None:
    response = client.get("/api/v1/background-tasks/status")

    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert [task["task_name"] for task in tasks] == TASKS
    scrape = tasks[0]
    assert scrape == {
        "task_name": "scrape",
        "status": "pending",
        "overdue": False,
        "degraded": False,
        "warnings": [],
        "paused": False,
        "interval_seconds": 3600,
        "last_run": None,
        "last_finished": None,
        "last_success": None,
        "next_run": None,  # this app runs no scheduler
        "last_duration_seconds": None,
        "last_error": None,
        "last_error_trace": None,
        "last_result": None,
        "run_count": 0,
        "failure_count": 0,
    }


def test_run_now_runs_the_task_and_stores_its_outcome(
    client: TestClient, run_task: RunTask
) -> None:
    task = run_task(client, "activity_cleanup")

    assert task["status"] == "idle"
    assert task["run_count"] == 1
    assert task["failure_count"] == 0
    assert task["last_result"] == {
        "deleted": 0,
        "cutoff": task["last_result"]["cutoff"],  # type: ignore[index]
        "retention_days": 7,
        "streams": {"samples_deleted": 0, "samples_merged": 0, "sessions_deleted": 0},
        "state_changes_deleted": 0,
    }
    assert isinstance(task["last_duration_seconds"], float)
    [run] = client.get("/api/v1/background-tasks/activity_cleanup/runs").json()["runs"]
    assert (run["trigger"], run["outcome"], run["error"]) == ("manual", "success", None)


def test_a_manual_run_is_recorded_with_its_outcome_and_no_started_row(
    client: TestClient, session: Session, run_task: RunTask
) -> None:
    run_task(client, "playlist_generation")

    rows = [row for row in all_activity(session) if "playlist_generation" in row.message]
    assert [(row.type, row.message.split(" in ")[0]) for row in rows] == [
        ("user_action", "Requested a run of playlist_generation"),
        ("background_task", "Task playlist_generation finished"),
    ]
    assert rows[1].details["result"] == {"channels": 0, "bytes": 8}
    assert rows[1].details["notices"] == ["manual"]


@pytest.fixture
def slow_site() -> Iterator[tuple[Site, threading.Event]]:
    release = threading.Event()
    with serve_pages({"/slow": Page(body=b"", hold=release)}) as site:
        yield site, release
        release.set()


def test_run_now_while_running_answers_409(
    make_settings: SettingsFactory, slow_site: tuple[Site, threading.Event]
) -> None:
    site, release = slow_site
    with TestClient(create_app(make_settings(scrape_urls=site.url("/slow")))) as client:
        runs = RunWatcher.on(client)
        client.post("/api/v1/background-tasks/scrape/run")
        assert _status(client, "scrape")["status"] == "running"

        response = client.post("/api/v1/background-tasks/scrape/run")

        assert response.status_code == 409
        assert response.json() == {
            "detail": "Task scrape is already running; wait for it to finish"
        }
        release.set()
        assert runs.wait_for_runs("scrape", 1, timeout=30)
        assert _status(client, "scrape")["status"] == "idle"


def test_pause_and_resume_are_stored_and_recorded(client: TestClient, session: Session) -> None:
    assert client.post("/api/v1/background-tasks/epg_refresh/pause").status_code == 200
    assert _status(client, "epg_refresh")["status"] == "paused"

    assert client.post("/api/v1/background-tasks/epg_refresh/resume").status_code == 200
    assert _status(client, "epg_refresh")["status"] == "pending"
    actions = [row.message for row in all_activity(session) if row.type == "user_action"]
    assert actions == ["Paused task epg_refresh", "Resumed task epg_refresh"]


@pytest.mark.parametrize("action", ["run", "pause", "resume"])
def test_unknown_task_answers_404(client: TestClient, action: str) -> None:
    response = client.post(f"/api/v1/background-tasks/nap/{action}")

    assert response.status_code == 404
    assert response.json()["detail"].startswith("No task named 'nap'; the tasks are: scrape, ")


def test_history_keeps_only_the_last_runs(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    with TestClient(create_app(make_settings(task_history_limit=2))) as client:
        for _ in range(3):
            run_task(client, "activity_cleanup")

        runs = client.get("/api/v1/background-tasks/activity_cleanup/runs").json()["runs"]
        assert len(runs) == 2
        assert runs[0]["id"] > runs[1]["id"]
        assert _status(client, "activity_cleanup")["run_count"] == 3


def test_a_failing_run_stores_the_error_and_its_trace(
    make_settings: SettingsFactory, tmp_path: Path, run_task: RunTask
) -> None:
    not_a_folder = tmp_path / "occupied"
    not_a_folder.write_text("a file where DATA_DIR should be")
    with TestClient(create_app(make_settings(data_dir=not_a_folder))) as client:
        task = run_task(client, "playlist_generation")
        with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
            [error] = [row for row in all_activity(session) if row.type == "error"]

    assert task["status"] == "error"
    assert (task["run_count"], task["failure_count"]) == (1, 1)
    assert str(task["last_error"]).startswith("FileExistsError: ")
    assert "Traceback (most recent call last)" in str(task["last_error_trace"])
    assert error.message.startswith("Task playlist_generation failed: FileExistsError: ")
    assert "in generate" in error.details["exception"]["stacktrace"]


def test_task_control_needs_the_token_when_one_is_set(make_settings: SettingsFactory) -> None:
    with TestClient(create_app(make_settings(api_token=TOKEN))) as client:
        assert client.post("/api/v1/background-tasks/scrape/pause").status_code == 401
        assert client.get("/api/v1/background-tasks/status").status_code == 200
        authorized = {"Authorization": f"Bearer {TOKEN}"}
        response = client.post("/api/v1/background-tasks/scrape/pause", headers=authorized)
        assert response.status_code == 200


def test_an_answered_pause_resume_or_run_request_has_its_audit_row_committed(
    make_settings: SettingsFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As for config changes: the row is written in the change's own transaction, so a
    process killed after answering keeps it. The batch exporter waits ten minutes here, so
    nothing else can have written the rows."""
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "600000")
    app = create_app(make_settings(activity_export="batch"))
    with TestClient(app) as client:
        runs = RunWatcher.on(client)
        answers = [
            client.post("/api/v1/background-tasks/epg_refresh/pause").status_code,
            client.post("/api/v1/background-tasks/epg_refresh/resume").status_code,
            client.post("/api/v1/background-tasks/playlist_generation/run").status_code,
        ]
        with Session(app.state.engine) as session:
            actions = [row.message for row in all_activity(session) if row.type == "user_action"]
        assert runs.wait_for_runs("playlist_generation", 1, timeout=30)

    assert answers == [200, 200, 202]
    assert sorted(actions) == [
        "Paused task epg_refresh",
        "Requested a run of playlist_generation",
        "Resumed task epg_refresh",
    ]


def test_a_partial_scrape_is_idle_with_warnings_in_status_history_and_activity(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    with serve_pages({"/list.m3u": Page(body=b"#EXTM3U\n")}) as site:
        missing = site.url("/gone.m3u?token=s3cret")
        urls = f"{site.url('/list.m3u')},{missing}"
        with TestClient(create_app(make_settings(scrape_urls=urls))) as client:
            task = run_task(client, "scrape")
            [run] = client.get("/api/v1/background-tasks/scrape/runs").json()["runs"]
            with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
                [finished] = [
                    row
                    for row in all_activity(session)
                    if row.message.startswith("Task scrape fin")
                ]

    warning = f"{site.url('/gone.m3u?token=[REDACTED]')} (HTTP 404 Not Found)"
    assert (task["status"], task["degraded"], task["warnings"]) == ("idle", True, [warning])
    assert (run["outcome"], run["degraded"], run["warnings"]) == ("success", True, [warning])
    assert finished.level == "warning"
    assert finished.message.endswith(" s with 1 warning")
    assert "s3cret" not in str(task) + str(run)


def test_a_clean_run_after_a_partial_one_clears_the_warnings(
    make_settings: SettingsFactory, run_task: RunTask
) -> None:
    flaky = Page(status=500)
    with serve_pages({"/a.m3u": Page(body=b"#EXTM3U\n"), "/b.m3u": flaky}) as site:
        urls = f"{site.url('/a.m3u')},{site.url('/b.m3u')}"
        with TestClient(create_app(make_settings(scrape_urls=urls))) as client:
            degraded = run_task(client, "scrape")
            flaky.status = 200
            clean = run_task(client, "scrape")

    assert (degraded["status"], degraded["degraded"]) == ("idle", True)
    assert (clean["status"], clean["degraded"], clean["warnings"]) == ("idle", False, [])
