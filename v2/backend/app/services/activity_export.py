"""The activity log as a file to download, CSV or NDJSON, written one batch at a time.

Rows arrive already redacted (redaction happens when they are stored). A CSV cell that a
spreadsheet would take for a formula (one starting with `=`, `+`, `-`, `@`, a tab or a
carriage return) gets a leading `'`, as OWASP advises against CSV injection: an exported
error message is outside input and must not run in the spreadsheet of whoever opens it.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from app.schemas.activity import ActivityRead, ExportFormat

CSV_COLUMNS = (
    "id",
    "timestamp",
    "type",
    "level",
    "message",
    "details",
    "user",
    "trace_id",
    "span_id",
)
MEDIA_TYPES = {ExportFormat.CSV: "text/csv", ExportFormat.NDJSON: "application/x-ndjson"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_filename(file_format: ExportFormat, now: datetime) -> str:
    """`activity-2026-12-02T0830Z.csv`: the UTC minute of the export, safe in any file system."""
    return f"activity-{now.astimezone(UTC):%Y-%m-%dT%H%MZ}.{file_format.value}"


def safe_cell(value: str) -> str:
    """`value`, with a leading `'` if a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def encode(file_format: ExportFormat, batches: Iterable[list[ActivityRead]]) -> Iterator[bytes]:
    """The file's bytes, one chunk per batch (a CSV file starts with its header row)."""
    return _csv(batches) if file_format is ExportFormat.CSV else _ndjson(batches)


def _ndjson(batches: Iterable[list[ActivityRead]]) -> Iterator[bytes]:
    """One JSON object per line, each exactly as `/recent` writes an item."""
    for batch in batches:
        yield b"".join(item.model_dump_json().encode() + b"\n" for item in batch)


def _csv(batches: Iterable[list[ActivityRead]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for batch in batches:
        writer.writerows(_csv_row(item) for item in batch)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # no rows at all: the header alone
        yield buffer.getvalue().encode()


def _csv_row(item: ActivityRead) -> list[object]:
    """The CSV_COLUMNS of one row: times as the JSON API writes them, details as JSON text,
    a missing value as an empty cell."""
    row = item.model_dump(mode="json")
    row["details"] = json.dumps(row["details"], ensure_ascii=False, separators=(",", ":"))
    cells = [row[column] for column in CSV_COLUMNS]
    return [safe_cell(cell) if isinstance(cell, str) else cell for cell in cells]
