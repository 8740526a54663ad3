"""Property-based API fuzzing from our own OpenAPI schema, against the running service.

Every operation gets generated valid and invalid input; no answer may be a 5xx or break
the documented schema. Bounded per operation so the test command stays quick. (Driven
through schemathesis' Python API: its pytest plugin does not support pytest 9 yet.)
"""

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import build_test_settings
from tests.live import serve_app

EXAMPLES_PER_OPERATION = 100
TOKEN = "fuzzing-token-0123456789"
ENDLESS = "/api/v1/activity/stream"
# Sends to whatever targets the fuzzing stored, real services on the internet among them
# (ntfy://topic is ntfy.sh); its answers are tested in tests/api/test_notifications.py.
SENDS_OUT = "/api/v1/notifications/test"
# Rules OpenAPI cannot state: a target URL Apprise can use; exactly one of `minutes` and
# `until`, and `until` ahead. Data the schema allows is rightly refused there with 422.
CROSS_FIELD_RULES = ("/api/v1/notifications/targets", "/api/v1/notifications/mute")


def _excluded_checks(case: schemathesis.Case[Any]) -> list[Any]:
    """An opaque cursor is a string to the schema, yet only the API's own cursors are
    valid: a made-up one is rightly refused with 422, which is not a bug. Likewise
    `/ace/getstream` needs exactly one of `id` and `infohash`, a rule between two
    parameters that OpenAPI cannot state (tested in tests/api/test_stream_redirect.py)."""
    query = case.query or {}
    if "cursor" in query:
        return [positive_data_acceptance]
    if case.path == "/ace/getstream" and ("id" in query) == ("infohash" in query):
        return [positive_data_acceptance]
    if case.path in CROSS_FIELD_RULES:
        return [positive_data_acceptance]
    return []


# Schemathesis itself draws from the `random` module inside some strategies; Hypothesis
# warns about it now and then, and with warnings as errors that failed the run at random
# ("produces unreliable results") without any fault in the service.
@pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module:hypothesis.errors.HypothesisDeprecationWarning"
)
def test_no_server_errors_and_no_schema_violations(tmp_path: Path) -> None:
    # With a token required everywhere, the documented bearer security holds for every
    # operation, so schemathesis can also check that a wrong token is refused.
    app_settings = build_test_settings(
        f"sqlite:///{tmp_path / 'app.db'}", tmp_path, api_token=TOKEN, api_read_auth=True
    )
    failures: list[str] = []
    with serve_app(app_settings) as url:
        # The schema is a read like any other: it needs the token too.
        schema = schemathesis.openapi.from_url(
            f"{url}/openapi.json", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
        assert len(operations) >= 13
        # The event stream never ends, and a client that reads whole answers would wait on it
        # for ever; its input checks are tested in tests/api/test_activity_stream.py.
        operations = [op for op in operations if op.path not in (ENDLESS, SENDS_OUT)]
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def check(case: schemathesis.Case[Any]) -> None:
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {TOKEN}"},
                    excluded_checks=_excluded_checks(case),
                )

            try:
                check()
            except Exception as exc:  # collect every operation's failure
                failures.append(f"{operation.label}: {exc}")

    assert failures == []
