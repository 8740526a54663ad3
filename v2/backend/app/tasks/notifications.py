"""`notifications`: decide what to notify from the state changes into the outbox, then send
what is due, with retries (`services.notifications`). Short interval: a message waits at
most this long past its grace."""

from datetime import timedelta

from app.services.notifications import NotificationService
from app.services.tasks.definition import TaskDefinition

NAME = "notifications"
INTERVAL = timedelta(seconds=10)


def definition(notifications: NotificationService) -> TaskDefinition:
    return TaskDefinition(name=NAME, interval=INTERVAL, run=notifications.run)
