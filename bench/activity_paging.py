"""Benchmark 1: reading the activity log a page at a time, at the top and 900 000 rows deep.

Seeds N rows (default 1 000 000, the 5 types mixed as in production, spread over 30 days)
into a fresh migrated database, then calls `ActivityService.recent()` in process, built the
way `app/wiring.py` `build_services` builds it. Measured:

- the first page (limit 50, days=30), and the dashboard's default call (days = retention);
- a keyset page 90 % deep (cursor = key of the 900 000th newest row, via `encode_cursor`);
- `OFFSET 900000 LIMIT 50` at the same depth, to show what keyset paging saves;
- one type and two types with days=7;
- side by side, SQL variants that are not product code, where they show a better plan;
- the activity histogram (days=1, what the dashboard asks, and days=7), with alternatives;
- "problems only" (`min_level=warning|error`): once in the production mix (~15 % of rows
  above info), then with the levels rewritten so that only 0.1 % of rows are (a quiet
  service: the problems index must find them without reading the info rows);
- the plan of every statement the repository sent (captured from SQLAlchemy as executed).

Targets: first page p50 <= 5 ms on both databases; deep page p50 <= 1.5 x first page p50;
with 0.1 % problems, min_level=warning's first page p50 <= 5 ms and its deep page (after
the 900th problem row) p50 <= 1.5 x its first page.
"""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import benchlib as lib
import psycopg
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import Engine, Select, and_, event, or_, select, text, union_all
from sqlalchemy.orm import Session, aliased, sessionmaker

from app.core.db import create_db_engine, create_session_factory
from app.models import ActivityLog
from app.observability.telemetry import TRACER_NAME
from app.repositories import activity as activity_repository
from app.services.activity import ActivityService, encode_cursor, window_start
from app.services.config import ConfigService
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType

FIRST_PAGE_CALLS = 300
OTHER_CALLS = 200
OFFSET_CALLS = 5
LIMIT = 50
DEEP_ROW = 900_000
ONE_TYPE = [ActivityType.ERROR]
TWO_TYPES = [ActivityType.ERROR, ActivityType.USER_ACTION]
# With rare problems, one row in this many is above info (0.1 %).
PROBLEM_EVERY = 1_000
DEEP_PROBLEM = 900


@dataclass
class Case:
    name: str
    stats: lib.Stats
    rows: int
    statement: str | None = None
    parameters: Any = None
    product: bool = True


class StatementSpy:
    """Remembers the last SELECT on activity_log the engine sent, with its parameters."""

    def __init__(self, engine: Engine) -> None:
        self.last: tuple[str, Any] | None = None
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM activity_log" in statement:
            self.last = (statement, parameters)

    @contextmanager
    def capture(self) -> Iterator[None]:
        self.last = None
        yield


def build_activity_service(session_factory: sessionmaker[Session]) -> ActivityService:
    """As `build_services` does: a ConfigService (for the retention default) behind it."""
    recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer(TRACER_NAME))
    return ActivityService(session_factory, ConfigService(session_factory, recorder))


def seed(url: str, rows: int) -> datetime:
    """Fill the table; returns the newest timestamp. All rows lie inside days=30."""
    newest = lib.utc_now()
    lib.say(f"seeding {rows:_} rows")
    lib.seed_rows(url, lib.activity_rows(rows, newest=newest, span=timedelta(days=29, hours=23)))
    return newest


def key_of_row(sessions: sessionmaker[Session], depth: int) -> tuple[datetime, int]:
    """(timestamp, id) of the `depth`-th newest row (1-based), read through the ORM."""
    with sessions() as session:
        row = session.execute(
            select(ActivityLog.timestamp, ActivityLog.id)
            .order_by(ActivityLog.timestamp.desc(), ActivityLog.id.desc())
            .offset(depth - 1)
            .limit(1)
        ).one()
    return row.timestamp, row.id


def measure(
    spy: StatementSpy, name: str, call: Callable[[], int], *, times: int, product: bool = True
) -> Case:
    """Time `call` (returns the number of rows it got) and capture the SQL it sent."""
    with spy.capture():
        rows = call()
    statement, parameters = spy.last if spy.last else (None, None)
    stats = lib.time_calls(call, times=times, warmup=3 if times <= OFFSET_CALLS else 10)
    lib.say(f"{name}: p50 {lib.ms(stats.p50)} ms")
    return Case(name, stats, rows, statement, parameters, product)


def run_scalars(sessions: sessionmaker[Session], statement: Select[Any]) -> int:
    with sessions() as session:
        return len(list(session.scalars(statement)))


def newest_first(statement: Select[Any], limit: int = LIMIT + 1) -> Select[Any]:
    return statement.order_by(ActivityLog.timestamp.desc(), ActivityLog.id.desc()).limit(limit)


def per_type_union(since: datetime, types: list[ActivityType]) -> Select[Any]:
    """Alternative for several types: one index range per type, merged (not product code).

    Each branch walks (type, timestamp, id) newest first and stops after a page; the outer
    query sorts at most a page per type instead of every matching row in the window.
    """
    branches = [
        newest_first(
            select(ActivityLog).where(ActivityLog.type == t.value, ActivityLog.timestamp >= since)
        ).subquery()
        for t in types
    ]
    merged = union_all(*[select(branch) for branch in branches]).subquery()
    chosen = aliased(ActivityLog, merged)
    return select(chosen).order_by(chosen.timestamp.desc(), chosen.id.desc()).limit(LIMIT + 1)


def run_cases(url: str, rows: int) -> tuple[list[Case], Engine]:
    """Every measurement of this benchmark, in order; returns the cases and the engine."""
    engine = create_db_engine(url)
    sessions = create_session_factory(engine)
    spy = StatementSpy(engine)
    service = build_activity_service(sessions)
    now = lib.utc_now()
    since30, since7 = window_start(30, now), window_start(7, now)
    depth = min(DEEP_ROW, int(rows * 0.9))
    deep_key = key_of_row(sessions, depth)
    cursor = encode_cursor(*deep_key)

    def recent(**kwargs: Any) -> Callable[[], int]:
        args = {"days": 30, "types": None, "limit": LIMIT, "cursor": None, "now": now} | kwargs
        return lambda: len(service.recent(**args).items)

    t, row_id = deep_key
    split_key = and_(
        ActivityLog.timestamp <= t, or_(ActivityLog.timestamp < t, ActivityLog.id < row_id)
    )
    cases = [
        measure(spy, "first page (days=30)", recent(), times=FIRST_PAGE_CALLS),
        measure(spy, "first page (days=None: retention 7)", recent(days=None), times=OTHER_CALLS),
        measure(spy, f"keyset page after row {depth:_}", recent(cursor=cursor), times=OTHER_CALLS),
        measure(
            spy,
            f"OFFSET {depth:_} LIMIT {LIMIT} (contrast)",
            lambda: run_scalars(
                sessions,
                newest_first(
                    select(ActivityLog).where(ActivityLog.timestamp >= since30), LIMIT
                ).offset(depth),
            ),
            times=OFFSET_CALLS,
            product=False,
        ),
        measure(
            spy,
            f"alt: deep page as ts <= t AND (ts < t OR id < {row_id})",
            lambda: run_scalars(
                sessions,
                newest_first(
                    select(ActivityLog).where(ActivityLog.timestamp >= since30, split_key)
                ),
            ),
            times=OTHER_CALLS,
            product=False,
        ),
        measure(spy, "type=error, days=7", recent(days=7, types=ONE_TYPE), times=OTHER_CALLS),
        measure(
            spy,
            "type=error&type=user_action, days=7",
            recent(days=7, types=TWO_TYPES),
            times=OTHER_CALLS,
        ),
        measure(
            spy,
            "alt: two types as UNION ALL of one index range per type",
            lambda: run_scalars(sessions, per_type_union(since7, TWO_TYPES)),
            times=OTHER_CALLS,
            product=False,
        ),
    ]
    cases += histogram_cases(spy, service, engine, now)
    cases.append(
        measure(
            spy,
            "min_level=warning, production mix (~15 % problems)",
            recent(min_level=ActivityLevel.WARNING),
            times=OTHER_CALLS,
        )
    )
    cases += rare_problem_cases(url, spy, engine, now)
    return cases, engine


def make_problems_rare(url: str, engine: Engine) -> int:
    """Rewrite the levels so that one row in PROBLEM_EVERY is above info (every other one an
    error, the rest warnings); returns how many. The hourly counts are rebuilt, and
    PostgreSQL's statistics refreshed, as after seeding."""
    every = {"every": PROBLEM_EVERY, "twice": 2 * PROBLEM_EVERY}
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE activity_log SET level = 'info' WHERE level <> 'info' AND id % :every <> 0"
            ),
            every,
        )
        connection.execute(
            text(
                "UPDATE activity_log SET level = CASE WHEN id % :twice = 0 THEN 'error'"
                " ELSE 'warning' END WHERE id % :every = 0"
            ),
            every,
        )
        problems = connection.execute(
            text("SELECT count(*) FROM activity_log WHERE level <> 'info'")
        ).scalar_one()
    with create_session_factory(engine).begin() as session:
        activity_repository.rebuild_hourly_counts(session)
    if engine.dialect.name == "postgresql":
        with psycopg.connect(lib.psycopg_dsn(url), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE activity_log")
            connection.execute("VACUUM ANALYZE activity_hourly_counts")
    return int(problems)


def rare_problem_cases(url: str, spy: StatementSpy, engine: Engine, now: datetime) -> list[Case]:
    """ "Problems only" when 0.1 % of rows are problems: first and deep pages, errors only,
    with a type, and the histogram; for contrast, the level filter without the problems
    index's own term (what the page would cost walking the whole (timestamp, id) index)."""
    problems = make_problems_rare(url, engine)
    lib.say(f"levels rewritten: {problems:_} rows above info")
    sessions = create_session_factory(engine)
    service = build_activity_service(sessions)
    depth = min(DEEP_PROBLEM, int(problems * 0.9))
    warning, error = ActivityLevel.WARNING, ActivityLevel.ERROR

    def recent(**kwargs: Any) -> Callable[[], int]:
        args = {"days": 30, "types": None, "limit": LIMIT, "cursor": None, "now": now} | kwargs
        return lambda: len(service.recent(**args).items)

    with sessions() as session:
        deep = session.execute(
            select(ActivityLog.timestamp, ActivityLog.id)
            .where(ActivityLog.level != "info")
            .order_by(ActivityLog.timestamp.desc(), ActivityLog.id.desc())
            .offset(depth - 1)
            .limit(1)
        ).one()
    cursor = encode_cursor(deep.timestamp, deep.id)
    since30 = window_start(30, now)

    def histogram_miss() -> int:
        fresh = build_activity_service(sessions)
        return len(fresh.histogram(days=7, types=None, min_level=warning, now=now).buckets)

    rare = "0.1 % problems"
    return [
        measure(
            spy, f"min_level=warning, {rare}: first page", recent(min_level=warning), times=300
        ),
        measure(
            spy,
            f"min_level=warning, {rare}: page after problem row {depth}",
            recent(min_level=warning, cursor=cursor),
            times=OTHER_CALLS,
        ),
        measure(
            spy, f"min_level=error, {rare}: first page", recent(min_level=error), times=OTHER_CALLS
        ),
        measure(
            spy,
            f"min_level=warning&type=system_event, days=7, {rare}",
            recent(days=7, types=[ActivityType.SYSTEM_EVENT], min_level=warning),
            times=OTHER_CALLS,
        ),
        measure(
            spy,
            f"alt: min_level=warning as level IN (...) alone, {rare}",
            lambda: run_scalars(
                sessions,
                newest_first(
                    select(ActivityLog).where(
                        ActivityLog.timestamp >= since30,
                        ActivityLog.level.in_(["warning", "error"]),
                    )
                ),
            ),
            times=5,
            product=False,
        ),
        measure(
            spy,
            f"histogram days=7, min_level=warning, {rare}, a cache miss",
            histogram_miss,
            times=30,
        ),
    ]


def histogram_cases(
    spy: StatementSpy, service: ActivityService, engine: Engine, now: datetime
) -> list[Case]:
    """The dashboard's histogram (days=1, hourly buckets) and days=7.

    A cache miss is timed on a fresh `ActivityService` per call (the service keeps answers
    for 2 s); the answer as served, cache included, is timed too. For contrast, the same
    counts taken from the log itself (what the histogram read before the stored hourly
    counts: every row of the window). Rows = buckets for the service, (hour, type) groups
    for the contrast.
    """
    sessions = create_session_factory(engine)

    def miss(days: int) -> Callable[[], int]:
        def run() -> int:
            fresh = build_activity_service(sessions)
            return len(fresh.histogram(days=days, types=None, now=now).buckets)

        return run

    def served(days: int) -> Callable[[], int]:
        return lambda: len(service.histogram(days=days, types=None, now=now).buckets)

    def from_the_log(days: int) -> Callable[[], int]:
        def run() -> int:
            with sessions() as session:
                return len(
                    activity_repository.count_by_hour(
                        session, since=window_start(days, now), until=now, types=None
                    )
                )

        return run

    return [
        measure(spy, "histogram days=1, a cache miss", miss(1), times=30),
        measure(spy, "histogram days=7, a cache miss", miss(7), times=30),
        measure(spy, "histogram days=1 through ActivityService (as served)", served(1), times=30),
        measure(
            spy,
            "contrast: days=1 counted from the log",
            from_the_log(1),
            times=30,
            product=False,
        ),
        measure(
            spy,
            "contrast: days=7 counted from the log",
            from_the_log(7),
            times=5,
            product=False,
        ),
    ]


def report(database: str, rows: int, cases: list[Case], engine: Engine, doc: bool) -> None:
    headers = ["case", "rows", "calls", "p50 ms", "p95 ms", "max ms"]
    table = [
        [
            c.name,
            c.rows,
            c.stats.count,
            lib.ms(c.stats.p50),
            lib.ms(c.stats.p95),
            lib.ms(c.stats.max),
        ]
        for c in cases
    ]
    first, deep = cases[0].stats.p50, cases[2].stats.p50
    [rare_first, rare_deep] = [
        case.stats.p50
        for case in cases
        if case.name.startswith(
            (
                "min_level=warning, 0.1 % problems: first",
                "min_level=warning, 0.1 % problems: page after",
            )
        )
    ]
    targets = [
        ["first page p50 <= 5 ms", f"{lib.ms(first)} ms", lib.verdict(first <= 5)],
        [
            "deep page p50 <= 1.5 x first page",
            f"{deep / first:.2f} x ({lib.ms(deep)} ms)",
            lib.verdict(deep <= 1.5 * first),
        ],
        [
            "0.1 % problems: min_level=warning first page p50 <= 5 ms",
            f"{lib.ms(rare_first)} ms",
            lib.verdict(rare_first <= 5),
        ],
        [
            "0.1 % problems: page after problem row 900 <= 1.5 x its first page",
            f"{rare_deep / rare_first:.2f} x ({lib.ms(rare_deep)} ms)",
            lib.verdict(rare_deep <= 1.5 * rare_first),
        ],
    ]
    lib.show(f"activity paging, {database}, {rows:_} rows", headers, table)
    lib.show("targets", ["target", "measured", "verdict"], targets)
    plans = []
    for case in cases:
        if case.statement is None:
            continue
        plan = lib.explain(engine, case.statement, case.parameters)
        plans.append(
            f"**{case.name}**{'' if case.product else ' (not product code)'}\n\n"
            + lib.code_block(
                f"{lib.one_line_sql(case.statement)}\n-- parameters: {case.parameters}\n\n{plan}"
            )
        )
    body = "\n\n".join(
        [
            f"#### {database}, {rows:_} rows\n\n{lib.run_header()}",
            lib.markdown_table(["target", "measured", "verdict"], targets),
            lib.markdown_table(headers, table),
            "<details><summary>Statements as sent, and their plans</summary>\n",
            *plans,
            "</details>",
        ]
    )
    sys.stdout.write("\n" + "\n\n".join(plans) + "\n")
    lib.update_doc(f"activity_paging:{database}", body, enabled=doc)


def main() -> None:
    args = lib.base_parser(__doc__.splitlines()[0]).parse_args()
    with lib.fresh_database(args.database) as url:
        seed(url, args.rows)
        cases, engine = run_cases(url, args.rows)
        try:
            report(args.database, args.rows, cases, engine, not args.no_doc)
        finally:
            engine.dispose()


if __name__ == "__main__":
    main()
