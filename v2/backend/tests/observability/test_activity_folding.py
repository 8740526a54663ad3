from datetime import UTC, datetime, timedelta
from typing import Any

from app.observability.activity_folding import FOLD_WINDOW, ErrorFolder, signature

START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
STACK = (
    "Traceback (most recent call last):\n"
    '  File "/app/api/errors.py", line 10, in handle\n'
    "    run()\n"
    '  File "/app/services/x.py", line {line}, in run\n'
    "    raise ValueError(message)\n"
    "ValueError: {message}\n"
)


def _error(
    message: str, *, at: timedelta = timedelta(0), line: int = 42, type: str = "error"
) -> dict[str, Any]:
    return {
        "timestamp": START + at,
        "type": type,
        "level": "error",
        "message": message,
        "details": {
            "exception": {
                "type": "ValueError",
                "message": message,
                "stacktrace": STACK.format(line=line, message=message),
            }
        },
        "trace_id": f"{int(at.total_seconds()):032x}",
    }


def test_numbers_and_ids_do_not_tell_errors_apart() -> None:
    one = _error("No channel 4bf92f3577b34da6 in row 12 (id 0f8fad5b-d9cb-469f-a165-70867728950e)")
    two = _error("No channel 00f067aa0ba902b7 in row 7 (id 7c9e6679-7425-40de-944b-e07fc1f90ae7)")

    assert signature(one) == signature(two)


def test_the_line_that_raised_and_the_words_tell_errors_apart() -> None:
    assert signature(_error("boom", line=42)) != signature(_error("boom", line=43))
    assert signature(_error("boom")) != signature(_error("bang"))


def test_repeats_within_the_window_fold_and_later_ones_start_a_row() -> None:
    folder = ErrorFolder()
    first = _error("boom")
    repeat = _error("boom", at=timedelta(seconds=30))
    last_in_window = _error("boom", at=FOLD_WINDOW - timedelta(microseconds=1))
    next_window = _error("boom", at=FOLD_WINDOW)

    stored = folder.fold([first, repeat, last_in_window, next_window])

    assert stored == [first, next_window]
    assert first["details"]["repeated"] == 2
    assert first["details"]["last_seen"] == "2026-12-01T12:00:59.999999Z"
    assert first["details"]["last_trace_id"] == last_in_window["trace_id"]
    assert "repeated" not in next_window["details"]
    assert folder.occurrences_folded == 2


def test_last_seen_is_the_latest_repeat_even_out_of_order() -> None:
    folder = ErrorFolder()
    first = _error("boom")
    later = _error("boom", at=timedelta(seconds=20))
    earlier = _error("boom", at=timedelta(seconds=10))

    folder.fold([first, later, earlier])

    assert first["details"]["repeated"] == 2
    assert first["details"]["last_seen"] == "2026-12-01T12:00:20Z"
    assert first["details"]["last_trace_id"] == later["trace_id"]


def test_only_error_rows_fold() -> None:
    folder = ErrorFolder()
    audit = [_error("Paused scrape", type="user_action") for _ in range(3)]

    assert folder.fold(audit) == audit


def test_a_repeat_of_a_stored_row_is_to_be_updated_until_the_next_write() -> None:
    folder = ErrorFolder()
    first = _error("boom")
    folder.fold([first])
    assert folder.stored_rows_changed() == []  # not stored yet: inserted with its count
    folder.saved()

    folder.fold([_error("boom", at=timedelta(seconds=1))])

    assert folder.stored_rows_changed() == [first]
    folder.saved()
    assert folder.stored_rows_changed() == []


def test_the_oldest_signature_is_forgotten_beyond_the_limit() -> None:
    folder = ErrorFolder(max_folds=2)
    first, second, third = (_error(word) for word in ("alpha", "beta", "gamma"))
    folder.fold([first, second, third])

    again = _error("alpha", at=timedelta(seconds=1))

    assert folder.fold([again]) == [again]
