"""The one rule for runs that read several sources: all failed, some failed, none configured."""

import pytest

from app.domain.source_failures import AllSourcesFailed, SourceFailure, settle_sources
from app.exceptions import TaskFailed

A = SourceFailure("http://a/", "HTTP 404 Not Found")
B = SourceFailure("http://b/", "timed out")


def test_every_source_failing_raises_naming_each_and_why() -> None:
    with pytest.raises(AllSourcesFailed) as failed:
        settle_sources(2, [A, B])

    assert str(failed.value) == (
        "All 2 sources failed: http://a/ (HTTP 404 Not Found); http://b/ (timed out)"
    )
    assert isinstance(failed.value, TaskFailed)


def test_the_only_source_failing_says_so() -> None:
    with pytest.raises(AllSourcesFailed, match=r"^The only source failed: http://a/ \(HTTP 404"):
        settle_sources(1, [A])


def test_some_failing_give_one_warning_each() -> None:
    assert settle_sources(3, [A, B]) == {
        "failed_urls": ["http://a/", "http://b/"],
        "warnings": ["http://a/ (HTTP 404 Not Found)", "http://b/ (timed out)"],
    }


@pytest.mark.parametrize("sources", [0, 2])
def test_no_failure_or_no_source_is_a_plain_success(sources: int) -> None:
    assert settle_sources(sources, []) == {"failed_urls": []}
