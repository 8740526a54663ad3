"""The words of a notification: what, since when, why, and where to look."""

from datetime import datetime

from app.domain.notifications import SERVICE_KIND, Message

_PROBLEMS = {
    "peer_down": "{name} is down",
    "warp_disconnected": "WARP is disconnected",
    "task_failing": "Task {name} is failing",
    "task_overdue": "Task {name} is overdue",
    "stream_stalled": "Stream {name} stalled",
    "error_spike": "Errors are piling up in the activity log",
    "activity_rows_dropped": "Activity rows are being dropped",
}
_RECOVERIES = {
    "peer_recovered": "{name} is back up",
    "warp_connected": "WARP is connected again",
    "task_recovered": "Task {name} is working again",
    "stream_recovered": "Stream {name} plays again",
    "error_spike_over": "The error spike is over",
}


def _age(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours < 48 else f"{hours // 24} days"


def compose(message: Message, now: datetime, dashboard_url: str) -> tuple[str, str]:
    """The title and body of `message`, decided at `now`; the body ends with the dashboard's
    address."""
    name = message.name
    age = _age((now - message.since).total_seconds())
    since = f"{message.since:%Y-%m-%d %H:%M} UTC ({age} ago)"
    what = message.kind if message.kind != SERVICE_KIND else "service"
    if message.role == "flapping":
        title = f"{name} is flapping"
        lines = [
            f"The {what} {name} changed state many times in the last 10 minutes "
            f"(now {message.state}); no more messages about it until it settles.",
            f"Flapping since {since}.",
        ]
    elif message.role == "recovery":
        title = _RECOVERIES[message.event].format(name=name)
        lines = [f"Now {message.state}; the problem began {since}."]
    else:
        title = _PROBLEMS[message.event].format(name=name)
        if message.role == "reminder":
            title = f"Still: {title[0].lower()}{title[1:]}"
        lines = [f"{name} is {message.state} since {since}."]
    if message.reason:
        lines.append(f"Why: {message.reason}")
    lines.append(f"Dashboard: {dashboard_url}/")
    return title, "\n".join(lines)
