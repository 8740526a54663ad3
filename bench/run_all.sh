#!/usr/bin/env bash
# Run every benchmark once, on SQLite and PostgreSQL where both apply, and write the results
# into docs/performance.md (each script updates its own block there). About 35 minutes on a
# 2-core machine, a third of it the simulated days of bench/noise.py; every step is bounded by
# `timeout` (10 minutes, 20 for noise.py). `bench/run_all.sh --no-doc` only prints.
#
# Needs the .venv (`make test` or `make run` creates it) and, for the PostgreSQL runs, the
# server at BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test),
# where the benchmarks create and drop their own database `acestream_bench`.
set -euo pipefail
cd "$(dirname "$0")/.."

extra=()
if [[ "${1:-}" == "--no-doc" ]]; then
    extra=(--no-doc)
fi

started=$SECONDS
run() {
    echo "== PYTHONPATH=v2/backend .venv/bin/python $*" >&2
    PYTHONPATH=v2/backend timeout "${TIMEOUT:-600}" .venv/bin/python "$@" "${extra[@]}"
}

for database in sqlite postgresql; do
    run bench/activity_paging.py --database "$database"
    run bench/ingestion.py --database "$database"
    run bench/cleanup.py --database "$database"
    run bench/metrics.py --database "$database"
    run bench/uptime.py --database "$database"
    run bench/kill_audit.py --database "$database"
    run bench/export.py --database "$database"
    run bench/activity_stream.py --database "$database"
    TIMEOUT=1200 run bench/noise.py --database "$database"
    run bench/bench_stream_status.py --database "$database"
    run bench/http_path.py --database "$database"
done
run bench/startup.py
run bench/stream_history_size.py
run bench/load.py --database sqlite
run bench/epg.py --database sqlite
run bench/load.py --database postgresql
if [[ -d v2/frontend/dist/assets ]]; then
    run bench/page_size.py
else
    run bench/page_size.py --build
fi
echo "== all benchmarks done in $((SECONDS - started)) s" >&2
