"""Benchmark 12: the uptime view (`UptimeService.view`, behind `GET /api/v1/uptime`) of 90 days
for 10 entities, and the ratios `/metrics` reads at each scrape.

Ten entities (acexy, the engine, WARP, seven tasks) with 90 days of state changes, flipping
between up and down at random moments, at a steady rate per entity per day: a quiet service
(one change a day: an outage every other day, for every peer and task: 900 rows), a troubled
one (4 a day) and a failing one (a change every half hour, all day, every day, for every
entity: 43 200 rows). The view is read in process, as the
endpoint calls it, without HTTP.

Each call is timed twice, side by side: *cold*, a new service each time (it reads and parses
every row and builds every entity's timeline, as every call did before the history was kept
in memory), and *warm*, the service the replica keeps (after its first call, it reads only
the rows written since: none here; each entity's closed periods and running totals are
kept, so what is left is the open end, the days and incidents not settled yet, and the
queries that find out nothing changed).

Target: the 90-day view of 10 entities in <= 20 ms (p50, warm) at 1 and 4 changes per entity
per day; the failing rate shows what is left that grows with the rows.
"""

import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import benchlib as lib
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine, create_session_factory
from app.models import StateChange
from app.repositories import state_changes as state_changes_repository
from app.services.uptime import UptimeService

ENTITIES = [("peer", "acexy"), ("peer", "engine"), ("peer", "warp")] + [
    ("task", f"task_{index}") for index in range(7)
]
DAYS = 90
RATES = (1, 4, 48)  # changes per entity per day
CALLS = 20
COLD_CALLS = 5  # a cold 90-day read of 43 200 rows takes seconds
GAP = timedelta(minutes=1)
_STATES = {"peer": ("up", "down"), "task": ("ok", "failing")}


def seed(sessions: sessionmaker[Session], now: datetime, per_day: int) -> int:
    """`per_day` changes per entity per day over DAYS, each entity flipping between its up
    and down state at random moments, and a heartbeat at `now`; return how many rows."""
    rng = random.Random(per_day)  # noqa: S311 - test data, not security
    rows = []
    for kind, name in ENTITIES:
        up, down = _STATES[kind]
        moments = sorted(
            now - timedelta(seconds=rng.uniform(0, DAYS * 86400)) for _ in range(DAYS * per_day)
        )
        for index, moment in enumerate(moments):
            states = (up, down) if index % 2 == 0 else (down, up)
            rows.append(
                {
                    "kind": kind,
                    "name": name,
                    "from_state": None if index == 0 else states[1],
                    "to_state": states[0],
                    "changed_at": moment,
                    "reason": "bench",
                }
            )
    with sessions.begin() as session:
        session.execute(delete(StateChange))
        session.execute(insert(StateChange), rows)
        state_changes_repository.lock_heartbeat(session, now=now)
        state_changes_repository.beat(session, now=now)
    return len(rows)


def cpu_ms(call: Callable[[], object]) -> float:
    """Median CPU time of `call` in this process, in ms: on a shared machine whose load moves
    under us, the work the call does, without the time it waited for a core."""
    samples = []
    for _ in range(CALLS):
        start = time.process_time()
        call()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def run(url: str) -> list[list[object]]:
    engine = create_db_engine(url)
    sessions = create_session_factory(engine)
    service = UptimeService(sessions, unknown_after=GAP)
    now = datetime.now(UTC).replace(microsecond=0)
    rows: list[list[object]] = []

    def fresh() -> UptimeService:
        return UptimeService(sessions, unknown_after=GAP)

    for per_day in RATES:
        lib.say(f"seeding {per_day} changes per entity per day")
        seeded = seed(sessions, now, per_day)
        calls: list[tuple[str, Callable[[UptimeService], object]]] = [
            *((f"view days={d}", lambda s, d=d: s.view(days=d, now=now)) for d in (90, 30, 1)),
            ("ratios (1d, 7d, 30d)", lambda s: s.ratios(now)),
        ]
        for name, call in calls:
            cold = lib.time_calls(lambda c=call: c(fresh()), times=COLD_CALLS, warmup=1)
            warm = lib.time_calls(lambda c=call: c(service), times=CALLS)
            cpu = cpu_ms(lambda c=call: c(service))
            rows.append(
                [
                    per_day,
                    f"{seeded:_}",
                    name,
                    lib.ms(cold.p50),
                    lib.ms(warm.p50),
                    lib.ms(warm.p95),
                    lib.ms(cpu),
                    f"{cold.p50 / warm.p50:.1f}x",
                ]
            )
    engine.dispose()
    return rows


def main() -> None:
    args = lib.base_parser(__doc__.splitlines()[0], rows=None).parse_args()
    with lib.fresh_database(args.database) as url:
        rows = run(url)
    headers = [
        "changes/entity/day",
        "rows",
        "call",
        "cold p50 ms",
        "warm p50 ms",
        "warm p95 ms",
        "warm CPU p50 ms",
        "cold / warm",
    ]
    targets = []
    for per_day, label in zip(RATES, ("quiet", "troubled", "failing"), strict=True):
        row = next(r for r in rows if r[0] == per_day and r[2] == "view days=90")
        wall, cpu = float(str(row[4])), float(str(row[6]))
        targets += [
            [
                f"90-day view, 10 entities, {label} ({per_day}/day): warm p50 <= 20 ms",
                f"{wall} ms",
                lib.verdict(wall <= 20),
            ],
            ["the same, CPU time (load left out)", f"{cpu} ms", lib.verdict(cpu <= 20)],
        ]
    lib.show(f"uptime, {args.database}", headers, rows)
    lib.show("targets", ["target", "measured", "verdict"], targets)
    body = "\n\n".join(
        [
            f"#### {args.database}\n\n{lib.run_header()}",
            lib.markdown_table(["target", "measured", "verdict"], targets),
            lib.markdown_table(headers, rows),
        ]
    )
    lib.update_doc(f"uptime:{args.database}", body, enabled=not args.no_doc)


if __name__ == "__main__":
    main()
