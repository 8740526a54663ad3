"""The notification decision: grace, blips, recovery, reminders, flapping, mute, switches."""

from datetime import UTC, datetime, timedelta

from app.domain.notifications import EVENTS, Change, Message, Policy, Sent, decide

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
GRACE = timedelta(seconds=60)
POLICY = Policy(grace=GRACE, reminder=timedelta(hours=6), events=EVENTS, muted=False)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def acexy(state: str, seconds: float, reason: str | None = None) -> Change:
    return Change("peer", "acexy", None, state, at(seconds), reason)


def record(messages: list[Message], now: datetime, sent: dict[str, Sent]) -> dict[str, Sent]:
    return sent | {m.key: Sent(decided_at=now, muted=m.muted) for m in messages}


def test_a_down_peer_is_told_once_it_has_held_the_grace() -> None:
    history = [acexy("up", 0), acexy("down", 100, "connection refused")]
    assert decide(history, at(159), POLICY, {}) == []
    [message] = decide(history, at(160), POLICY, {})
    assert (message.event, message.since, message.reason, message.role) == (
        "peer_down",
        at(100),
        "connection refused",
        "problem",
    )
    assert decide(history, at(170), POLICY, {message.key: Sent(at(160), muted=False)}) == []


def test_warp_not_connected_is_told_as_its_alert_does_but_not_warp_not_in_use() -> None:
    def warp(state: str, seconds: float) -> Change:
        return Change("peer", "warp", None, state, at(seconds), None)

    for state in ("disconnected", "connecting", "error"):
        [message] = decide([warp("connected", 0), warp(state, 100)], at(160), POLICY, {})
        assert message.event == "warp_disconnected"
    assert decide([warp("unavailable", 0)], at(10_000), POLICY, {}) == []


def test_a_blip_shorter_than_the_grace_sends_nothing_ever() -> None:
    history = [acexy("up", 0), acexy("down", 100), acexy("up", 130)]
    for now in (120, 159, 200, 10_000):
        assert decide(history, at(now), POLICY, {}) == []


def test_one_recovery_per_told_incident_after_the_good_state_held() -> None:
    history = [acexy("up", -1000), acexy("down", 100)]
    sent = record(decide(history, at(200), POLICY, {}), at(200), {})
    history += [acexy("up", 300), acexy("down", 320), acexy("up", 340)]
    # The blip back down at 320 keeps the incident open: no new problem, no recovery yet.
    assert decide(history, at(330), POLICY, sent) == []
    assert decide(history, at(399), POLICY, sent) == []
    [recovery] = decide(history, at(400), POLICY, sent)
    assert (recovery.event, recovery.since) == ("peer_recovered", at(100))
    assert recovery.role == "recovery"
    sent = record([recovery], at(400), sent)
    assert decide(history, at(500), POLICY, sent) == []


def test_no_recovery_for_an_incident_never_told() -> None:
    history = [acexy("up", 0), acexy("down", 100), acexy("up", 200)]
    assert decide(history, at(1000), POLICY, {}) == []


def test_reminders_come_at_most_every_reminder_period_while_down() -> None:
    history = [acexy("down", 0)]
    sent = record(decide(history, at(60), POLICY, {}), at(60), {})
    assert decide(history, at(60 + 6 * 3600 - 1), POLICY, sent) == []
    [reminder] = decide(history, at(60 + 6 * 3600), POLICY, sent)
    assert (reminder.role, reminder.since) == ("reminder", at(0))
    sent = record([reminder], at(60 + 6 * 3600), sent)
    assert decide(history, at(60 + 12 * 3600 - 1), POLICY, sent) == []
    # A decision that comes late sends one reminder, not the ones it missed.
    assert len(decide(history, at(60 + 30 * 3600), POLICY, sent)) == 1


def test_no_reminders_with_a_reminder_period_of_none() -> None:
    history = [acexy("down", 0)]
    policy = Policy(grace=GRACE, reminder=None, events=EVENTS, muted=False)
    sent = record(decide(history, at(60), policy, {}), at(60), {})
    assert decide(history, at(90 * 86400), policy, sent) == []


def test_flapping_sends_one_message_then_nothing_until_it_settles() -> None:
    history = [acexy("up", 0)] + [
        acexy("down" if i % 2 == 0 else "up", 100 + 70 * i) for i in range(12)
    ]
    messages = []
    sent: dict[str, Sent] = {}
    for now in range(100, 100 + 70 * 12, 10):
        decided = decide([c for c in history if c.changed_at <= at(now)], at(now), POLICY, sent)
        messages += decided
        sent = record(decided, at(now), sent)
    # Each state holds 70 s, past the grace, until the fifth change in 10 min (at 310):
    # then one "flapping" message and nothing for the eight changes after it.
    assert [m.role for m in messages] == ["problem", "recovery", "problem", "flapping"]
    assert messages[3].since == at(310)
    # Settled (up since 870, quiet for 10 min): its last incident was never told.
    assert decide(history, at(870 + 601), POLICY, sent) == []


def test_a_new_flapping_episode_after_settling_is_told_again() -> None:
    burst = [acexy("down" if i % 2 == 0 else "up", 10 * i) for i in range(5)]
    later = [acexy("down" if i % 2 == 0 else "up", 5000 + 10 * i) for i in range(5)]
    [first] = decide(burst, at(45), POLICY, {})
    sent = record([first], at(45), {})
    [second] = decide(burst + later, at(5045), POLICY, sent)
    assert second.role == "flapping"
    assert second.key != first.key


def test_muted_messages_are_decided_muted_and_start_no_reminder_or_recovery() -> None:
    muted = Policy(grace=GRACE, reminder=timedelta(hours=6), events=EVENTS, muted=True)
    history = [acexy("down", 0)]
    [problem] = decide(history, at(60), muted, {})
    assert problem.muted
    sent = record([problem], at(60), {})
    assert decide(history, at(7 * 3600), POLICY, sent) == []
    assert decide([*history, acexy("up", 8 * 3600)], at(9 * 3600), POLICY, sent) == []


def test_events_switched_off_are_not_sent() -> None:
    policy = Policy(grace=GRACE, reminder=None, events={"task_failing"}, muted=False)
    history = [
        acexy("down", 0),
        Change("task", "scrape", "ok", "failing", at(0), "HTTP 500 from example.org"),
        Change("task", "epg_refresh", "ok", "overdue", at(0), None),
    ]
    [message] = decide(history, at(100), policy, {})
    assert (message.event, message.name, message.reason) == (
        "task_failing",
        "scrape",
        "HTTP 500 from example.org",
    )


def test_warp_and_service_conditions_have_their_own_events() -> None:
    history = [
        Change("peer", "warp", "connected", "disconnected", at(0)),
        Change("service", "activity_rows_dropped", "normal", "dropping", at(0)),
        Change("service", "error_spike", "normal", "spiking", at(0)),
    ]
    sent: dict[str, Sent] = {}
    assert sorted(m.event for m in decide(history, at(60), POLICY, sent)) == [
        "activity_rows_dropped",
        "error_spike",
        "warp_disconnected",
    ]
    sent = record(decide(history, at(60), POLICY, sent), at(60), sent)
    history += [
        Change("peer", "warp", "disconnected", "connected", at(100)),
        Change("service", "activity_rows_dropped", "dropping", "normal", at(100)),
        Change("service", "error_spike", "spiking", "normal", at(100)),
    ]
    assert sorted(m.event for m in decide(history, at(160), POLICY, sent)) == [
        "error_spike_over",
        "warp_connected",
    ]


def test_a_task_incident_is_named_by_its_first_bad_state() -> None:
    history = [
        Change("task", "scrape", "ok", "failing", at(0), "boom"),
        Change("task", "scrape", "failing", "overdue", at(30), "late"),
    ]
    [message] = decide(history, at(60), POLICY, {})
    assert (message.event, message.since, message.state, message.reason) == (
        "task_failing",
        at(0),
        "overdue",
        "late",
    )
