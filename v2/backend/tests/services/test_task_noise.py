"""The noise targets of a default install left alone with its peers unreachable: under 50
activity rows in 24 hours, under 10 in an hour with STATUS_CHECK_INTERVAL_SECONDS=5.

The real tasks run on simulated time (`tests/simulation.py`): every slot of every task, in
order, with its follow-ups. The frequent tasks run only their first FREQUENT_RUNS slots
here: a status check takes about 0.1 s (most of it httpx loading the CA certificates for a
new client), and the day holds 5 760 of them, 8 640 notification rounds and 1 440 stream
sweeps, which took minutes. What the test shows instead is that every run after the first
writes nothing, so the other slots add nothing either; `bench/noise.py` runs all of them,
and the real service for a minute, and records the counts in docs/performance.md.
"""

from collections import Counter

import pytest

from app.core.config import Settings
from tests.conftest import SettingsFactory
from tests.simulation import simulated_service, slots

FREQUENT_RUNS = 20
FREQUENT_TASKS = ("status_check", "notifications", "stream_sweep")
# "Service started" and "Service stopping", which the wiring writes around the tasks' runs.
START_AND_STOP_ROWS = 2
PEERS_DOWN = Counter(
    {
        "acexy is not reachable": 1,
        "AceStream engine is not reachable": 1,
        "WARP is unavailable": 1,
    }
)


@pytest.mark.parametrize(
    ("hours", "status_check_seconds", "scrapes", "epg_refreshes", "target"),
    [
        (24, 15, 24, 4, 50),  # the default schedule
        (1, 5, 1, 1, 10),
    ],
)
def test_a_service_left_alone_with_its_peers_down_writes_a_few_rows(
    make_settings: SettingsFactory,
    hours: int,
    status_check_seconds: int,
    scrapes: int,
    epg_refreshes: int,
    target: int,
) -> None:
    settings: Settings = make_settings(status_check_interval_seconds=status_check_seconds)
    with simulated_service(settings) as service:
        first_runs = dict.fromkeys(FREQUENT_TASKS, FREQUENT_RUNS)
        service.run(slots(service.catalog, hours=hours, first_runs=first_runs))
        written = service.messages()
        runs = {name: service.runs.finished(name) for name in service.catalog.names}

    assert [runs[name] for name in FREQUENT_TASKS] == [FREQUENT_RUNS] * len(FREQUENT_TASKS)
    assert (runs["scrape"], runs["epg_refresh"]) == (scrapes, epg_refreshes)
    # One row per peer at first sight; no status check after it wrote anything, and with no
    # sources configured the scrapes and guide refreshes have no summary to write.
    assert written == PEERS_DOWN
    assert written.total() + START_AND_STOP_ROWS < target
