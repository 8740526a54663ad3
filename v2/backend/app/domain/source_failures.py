"""How a run that reads several sources (scrape, epg_refresh) ends when some of them fail.

One rule for both tasks: every source failed -> the run failed (`AllSourcesFailed`, its
message naming each source and why); some failed -> the run succeeded with one warning per
failed source, which the task status reports as degraded (see `services.task_health`); none
configured -> an ordinary success with nothing read, since nothing was asked for and the
page already says which lists are configured.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.exceptions import TaskFailed


@dataclass(frozen=True)
class SourceFailure:
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.url} ({self.reason})"


class AllSourcesFailed(TaskFailed):
    """Every configured source of the run failed."""


def settle_sources(sources: int, failures: Sequence[SourceFailure]) -> dict[str, Any]:
    """The result keys that report `failures` out of `sources` configured sources:
    `failed_urls` always, `warnings` (one readable string per failure) when there are any.

    Raises AllSourcesFailed when at least one source was configured and every one failed,
    so that the run is stored as an error rather than a success that read nothing.
    """
    if sources and len(failures) == sources:
        listed = "; ".join(str(failure) for failure in failures)
        what = f"All {sources} sources" if sources > 1 else "The only source"
        raise AllSourcesFailed(f"{what} failed: {listed}")
    result: dict[str, Any] = {"failed_urls": [failure.url for failure in failures]}
    if failures:
        result["warnings"] = [str(failure) for failure in failures]
    return result
