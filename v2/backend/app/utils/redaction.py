"""Hide secrets before anything is stored: values under secret-looking keys, and URL passwords."""

import functools
import re
from typing import Any

REDACTED = "[REDACTED]"

# Compared against the key lower-cased with separators removed ("API-Key" -> "apikey").
_SECRET_KEY_PARTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "authorization",
    "apikey",
    "cookie",
    "credential",
    "privatekey",
    "accesskey",
    "signature",
    "sessionid",
)
_SECRET_KEYS = frozenset({"pass", "pwd", "auth", "key", "dsn"})
_URL_PASSWORD = re.compile(r"(?P<prefix>[a-z][a-z0-9+.\-]*://[^/\s:@]*:)[^@\s/]*(?=@)", re.I)
_KEY_SEPARATORS = re.compile(r"[^a-z0-9]")


@functools.lru_cache(maxsize=1024)
def is_secret_key(key: str) -> bool:
    normalised = _KEY_SEPARATORS.sub("", key.lower())
    return normalised in _SECRET_KEYS or any(part in normalised for part in _SECRET_KEY_PARTS)


def redact(value: Any) -> Any:
    """Return a copy of `value` with secrets replaced by REDACTED, at any depth.

    Dict values whose key looks secret are replaced whole; strings anywhere lose the password
    of an embedded URL (`postgresql://user:pw@host` -> `postgresql://user:[REDACTED]@host`).
    """
    if isinstance(value, dict):
        return {
            key: REDACTED if is_secret_key(str(key)) else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    if isinstance(value, str) and "://" in value:
        return _URL_PASSWORD.sub(rf"\g<prefix>{REDACTED}", value)
    return value
