"""Per-stream metrics: what plays now, read from the same `ActiveStreams` as
`GET /api/v1/streams/active`, so the two never disagree.

Each playing stream has one series per figure, labelled `stream_id` (its content id, else its
infohash) and `channel` (our channel's name, else ""). A figure the service does not know yet
(no engine stat read) has no sample rather than a made-up 0, and every series of a stream
disappears with it: the label values are bounded by what plays at once.
"""

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from app.schemas.peers import ActiveStreams, StreamRead

STREAM_LABELS = ["stream_id", "channel"]
BYTES_PER_KB = 1024


def stream_metrics(active: ActiveStreams, sessions_started: int) -> list[Metric]:
    """The per-stream families of `active`, and the count of stream sessions ever started.

    A stream acexy names by neither content id nor infohash has no `stream_id` to tell it
    apart, so it has no series (it still counts in `acestream_active_streams`).
    """
    clients = GaugeMetricFamily(
        "acestream_stream_clients",
        "Players acexy serves this stream to.",
        labels=STREAM_LABELS,
    )
    peers = GaugeMetricFamily(
        "acestream_stream_peers",
        "Peers the AceStream engine is connected to for this stream.",
        labels=STREAM_LABELS,
    )
    download = GaugeMetricFamily(
        "acestream_stream_download_bytes_per_second",
        "The stream's download speed in bytes per second (the engine reports KB/s, multiplied"
        " by 1024 here).",
        labels=STREAM_LABELS,
    )
    upload = GaugeMetricFamily(
        "acestream_stream_upload_bytes_per_second",
        "The stream's upload speed in bytes per second (the engine reports KB/s, multiplied"
        " by 1024 here).",
        labels=STREAM_LABELS,
    )
    stalled = GaugeMetricFamily(
        "acestream_stream_stalled",
        "Whether the stream has had no peers or no download for 2 minutes or more (1) or not (0).",
        labels=STREAM_LABELS,
    )
    for stream in active.streams:
        labels = _labels(stream)
        if labels is None:
            continue
        _add(clients, labels, stream.clients)
        _add(peers, labels, stream.peers)
        _add(download, labels, _bytes(stream.speed_down_kbps))
        _add(upload, labels, _bytes(stream.speed_up_kbps))
        stalled.add_metric(labels, 1 if stream.stalled else 0)
    sessions = CounterMetricFamily(
        "acestream_stream_sessions",
        "Stream sessions ever started (a stream from its first sight playing to its end), as"
        " the database counts them: every replica reports the same count.",
        value=sessions_started,
    )
    return [clients, peers, download, upload, stalled, sessions]


def _labels(stream: StreamRead) -> list[str] | None:
    stream_id = stream.id or stream.infohash
    if not stream_id:
        return None
    channel = stream.channel.name if stream.channel is not None else None
    return [stream_id, channel or ""]


def _bytes(kilobytes_per_second: int | None) -> int | None:
    return None if kilobytes_per_second is None else kilobytes_per_second * BYTES_PER_KB


def _add(family: GaugeMetricFamily, labels: list[str], value: int | None) -> None:
    if value is not None:
        family.add_metric(labels, value)
