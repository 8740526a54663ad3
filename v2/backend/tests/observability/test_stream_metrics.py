"""The per-stream metric families: labels, unknown figures absent, stalled 0/1, KB/s to bytes."""

from prometheus_client.core import Metric

from app.observability.stream_metrics import stream_metrics
from app.schemas.peers import ActiveStreams, StreamChannel, StreamRead

ID = "a" * 40
HASH = "b" * 40
LA1 = StreamChannel(name="La 1 HD", group="Generalistas", logo=None, tvg_id="La1.es")

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def _active(*streams: StreamRead) -> ActiveStreams:
    return ActiveStreams(
        count=len(streams),
        source="acexy",
        available=True,
        checked_at=None,
        error=None,
        streams=list(streams),
        total_clients=None,
    )


def _stream(**fields: object) -> StreamRead:
    base: dict[str, object] = {"id": ID, "infohash": None, "clients": 1}
    return StreamRead.model_validate({"channel": None, "viewers": [], **base, **fields})


def _samples(families: list[Metric]) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in families
        for sample in family.samples
    }


def test_a_known_stream_has_every_figure_labelled_with_its_id_and_channel() -> None:
    stream = _stream(
        clients=2, peers=17, speed_down_kbps=812, speed_up_kbps=96, stalled=False, channel=LA1
    )

    samples = _samples(stream_metrics(_active(stream), 5))

    labels = (("channel", "La 1 HD"), ("stream_id", ID))
    assert samples == {
        ("acestream_stream_clients", labels): 2,
        ("acestream_stream_peers", labels): 17,
        ("acestream_stream_download_bytes_per_second", labels): 812 * 1024,
        ("acestream_stream_upload_bytes_per_second", labels): 96 * 1024,
        ("acestream_stream_stalled", labels): 0,
        ("acestream_stream_sessions_total", ()): 5,
    }


def test_unknown_figures_have_no_sample_and_stalled_is_one() -> None:
    stream = _stream(clients=None, peers=None, speed_down_kbps=None, stalled=True)

    samples = _samples(stream_metrics(_active(stream), 0))

    labels = (("channel", ""), ("stream_id", ID))
    assert samples == {
        ("acestream_stream_stalled", labels): 1,
        ("acestream_stream_sessions_total", ()): 0,
    }


def test_a_stream_started_by_infohash_is_labelled_by_it() -> None:
    stream = _stream(id=None, infohash=HASH, peers=0, speed_down_kbps=0)

    samples = _samples(stream_metrics(_active(stream), 1))

    labels = (("channel", ""), ("stream_id", HASH))
    assert samples[("acestream_stream_peers", labels)] == 0
    assert samples[("acestream_stream_download_bytes_per_second", labels)] == 0


def test_a_stream_without_any_id_has_no_series() -> None:
    nameless = _stream(id=None, infohash=None, clients=3)

    samples = _samples(stream_metrics(_active(nameless, _stream(clients=1)), 0))

    assert [labels for name, labels in samples if name == "acestream_stream_clients"] == [
        (("channel", ""), ("stream_id", ID))
    ]


def test_nothing_playing_leaves_only_the_session_count() -> None:
    families = stream_metrics(_active(), 7)

    assert _samples(families) == {("acestream_stream_sessions_total", ()): 7}
    # Every family is still declared (HELP and TYPE) with no sample.
    assert [family.name for family in families] == [
        "acestream_stream_clients",
        "acestream_stream_peers",
        "acestream_stream_download_bytes_per_second",
        "acestream_stream_upload_bytes_per_second",
        "acestream_stream_stalled",
        "acestream_stream_sessions",
    ]
