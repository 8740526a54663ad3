from app.utils.ttl_cache import TtlCache


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_reused_until_it_expires() -> None:
    clock = FakeClock()
    cache: TtlCache[str, int] = TtlCache(ttl_seconds=2.0, clock=clock)
    computed: list[int] = []

    def compute() -> int:
        computed.append(len(computed))
        return len(computed)

    assert cache.get_or_compute("k", compute) == 1
    clock.now += 1.999
    assert cache.get_or_compute("k", compute) == 1
    clock.now += 0.001
    assert cache.get_or_compute("k", compute) == 2
    assert computed == [0, 1]


def test_put_replaces_the_answer_at_once() -> None:
    cache: TtlCache[str, int] = TtlCache(ttl_seconds=60.0, clock=FakeClock())
    cache.get_or_compute("k", lambda: 1)

    cache.put("k", 2)

    assert cache.get_or_compute("k", lambda: 3) == 2


def test_the_cache_stays_bounded() -> None:
    cache: TtlCache[int, int] = TtlCache(ttl_seconds=60.0, max_entries=3, clock=FakeClock())
    for key in range(10):
        cache.put(key, key)

    assert len(cache) <= 3
