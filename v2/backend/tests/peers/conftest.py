from collections.abc import Iterator

import pytest

from tests.fakes.http_peer import FakePeer, serve_fake_peer


@pytest.fixture
def fake_peer() -> Iterator[FakePeer]:
    """A fake acexy on loopback; tests switch `mode` to be another acexy, an engine, ..."""
    with serve_fake_peer("acexy") as peer:
        yield peer
