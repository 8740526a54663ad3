"""Hide secrets in anything that leaves the service: the one redaction step.

Configured URLs carry credentials (`http://user:pass@host/list?token=T`), and they travel
into exception messages, stack traces, task results and peer errors. Rather than every
call site remembering to clean its own strings, the service applies `redact` where text
leaves it:

- activity rows, as the span exporter turns spans into rows (`services.activity_exporter`);
- task outcomes and run history, in the column types that store them (`models.types`);
- peer status, as each snapshot is built (`services.peer_status`);
- spans sent to an OTLP collector, by the exporter wrapper (`core.telemetry`);
- log records, by `RedactingLogFilter`, installed by `install_log_redaction`.

What counts as a secret: the user-info of any URL (user *and* password), the value of a
secret-looking parameter (`?token=`, `&api_key=`, `password=` in a DSN, ...), a
`Bearer`/`Basic` credential, everything after `://` in a notification URL whose scheme keeps
tokens in its path (`tgram://bottoken/chatid`, `discord://id/token`), a Telegram bot token in
an API URL, and, in dicts, the whole value under a secret-looking key.
"""

import functools
import logging
import re
from typing import Any

REDACTED = "[REDACTED]"

# Compared against the key lower-cased with separators removed ("API-Key" -> "apikey").
_SECRET_KEY_PARTS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "authorization",
    "apikey",
    "authkey",
    "cookie",
    "credential",
    "privatekey",
    "accesskey",
    "signature",
    "sessionid",
)
_SECRET_KEYS = frozenset({"pass", "pwd", "pw", "auth", "key", "dsn", "sig", "jwt"})
_KEY_SEPARATORS = re.compile(r"[^a-z0-9]")

# scheme://user:password@host -> scheme://[REDACTED]@host. User-info cannot hold "/", "?"
# or "#"; the match runs to the last "@" before them, so an unencoded "@" in a password
# is hidden too. (Starting at the literal "://" lets the regex engine skip ahead fast.)
_URL_USER_INFO = re.compile(r"://[^/?#\s'\"<>]*@")
# name=value after the start, a space or a URL/list separator: query strings, DSNs
# ("host=db password=x"), log lines ("api_key=..."). Only secret-looking names lose the
# value; a sentence's punctuation right after it ("?token=T: not found") is kept.
_PARAMETER = re.compile(
    r"(?P<before>^|[?&#;,\s\"'(])(?P<name>[\w.\-]+)="
    r"(?P<value>[^&#\s'\"<>,;)]*?)(?=[:.!]?(?:[&#\s'\"<>,;)]|$))"
)
# Apprise's schemes (apprise 2.2.0) that carry tokens in the host or path. Left out, as for
# any URL: json://, xml://, form://, mailto://, syslog://, kodi://, amqp://, irc://, emby://,
# jellyfin:// (their secrets are user-info or parameters).
_HIDDEN_PATH_SCHEME_NAMES = """
    46elks apprise apprises aprs atalk azure bark barks betterstack bluesky brevo bsky
    bulksms bulkvs burstsms chanify clickatell clicksend cliq cm d7sms dapnet deltachat
    deltachats dingtalk discord dot eight00com elks enigma2 enigma2s evolution evolutions
    exotel feishu firehydrant flock flowtriq flowtriqs fluxer fluxers freemobile gchat
    github goalert goalerts gorush gorushs gotify gotifys groundmail groupme guilded
    gupshup hassio hassios httpsms humhub humhubs ifttt ilert incidentio infobip jira join
    kakao kakaotalk kaleyra kavenegar klr kook kudosity kumulos lametric lametrics lark
    lauther lfg line mailersend mailgun mastodon mastodons matrix matrixs misskey misskeys
    mmost mmosts mobilemessage mobilemsg msg91 msgbird ncloud nclouds nctalk nctalks nexmo
    nostr notica noticas notifiarr notifico notificos notifyre ntfy ntfys o365 octopush
    onebot onebots onesignal opsgenie pagerduty pagertree parsep parseps pbul pinglet
    pinglets pingram pjet pjets plivo postmark pover prowl psafer psafers push pushdeer
    pushdeers pushed pushme pushplus pushward pushy qq reddit resend revolt ringc rocket
    rockets ryver schan sendgrid sendpulse serwersms ses seven sfr signal signalgrid
    signals signl4 simplepush sinch slack smsc smseagle smseagles smsmanager smsmgr
    smstunnel smtp2go sns sparkpost spike splunk spugpush spush squadcast stackfield
    strmlabs synology synologys telesign telnyx tgram threema toot toots trigv trigvs
    tweet twilio twist twitter viber victorops voipms vonage webex wechat wecom wecombot
    whapi whatsapp workflow workflows wpush wxpusher wxteams x xmatters youlmk zalo zcliq
    zohocliq zoom zulip
    """
_PATH_SECRET_SCHEMES = frozenset(_HIDDEN_PATH_SCHEME_NAMES.split())
# The end of a notification URL's secret part: where the URL ends.
_URL_END = re.compile(r"[\s'\"<>]")
_SCHEME_CHARACTERS = re.compile(r"[\w+.-]+")
# https://api.telegram.org/bot123456:ABC.../sendMessage, as a notifier's error may quote it.
_TELEGRAM_BOT_TOKEN = re.compile(r"/bot\d+:[\w-]+")
_AUTH_SCHEME = re.compile(r"\b(?P<scheme>Bearer|Basic)\s+[A-Za-z0-9._~+/=\-]+", re.I)
# Substring checks that let most text skip the patterns above (a regular expression search
# for them costs ten times more): a secret-looking parameter name holds one of these words
# (lower-cased), and an auth header one of the others.
_SECRET_NAME_HINTS = (
    "pass", "pw", "secret", "token", "auth", "key", "cookie", "credential", "sig", "session",
    "dsn", "jwt",
)  # fmt: skip
_AUTH_SCHEME_HINTS = ("earer", "EARER", "asic", "ASIC")


@functools.lru_cache(maxsize=1024)
def is_secret_key(key: str) -> bool:
    normalised = _KEY_SEPARATORS.sub("", key.lower())
    return normalised in _SECRET_KEYS or any(part in normalised for part in _SECRET_KEY_PARTS)


def _hide_secret_parameter(match: re.Match[str]) -> str:
    if not match["value"] or not is_secret_key(match["name"]):
        return match[0]
    return f"{match['before']}{match['name']}={REDACTED}"


def _scheme_before(text: str) -> str:
    """The URL scheme that `text` ends with (lower-cased; "" if none)."""
    # Matched from the end, reversed: a search for a pattern anchored at the end would try
    # every position before it.
    match = _SCHEME_CHARACTERS.match(text[-32:][::-1])
    return "" if match is None else match[0][::-1].lower()


def _hide_path_secrets(text: str) -> str:
    """`text` with everything after `scheme://` hidden for the schemes that keep secrets in
    the path. A loop over `str.split` rather than a regular expression: a pattern that reads
    the scheme back from each "://" cost 16 times more on ordinary URL-bearing text."""
    if text.count("://") == text.count("http://") + text.count("https://"):
        return text  # the usual case, checked in a third of the time the loop takes
    parts = text.split("://")
    if not any(_scheme_before(part) in _PATH_SECRET_SCHEMES for part in parts[:-1]):
        return text
    for index in range(1, len(parts)):
        if _scheme_before(parts[index - 1]) in _PATH_SECRET_SCHEMES:
            end = _URL_END.search(parts[index])
            rest = "" if end is None else parts[index][end.start() :]
            parts[index] = REDACTED + rest
    return "://".join(parts)


def redact_text(text: str) -> str:
    """`text` with URL user-info, secret parameter values and auth credentials hidden.

    Redacting twice gives the same text as redacting once. Each pattern only runs when
    substring checks say it may match, so a plain message costs about 2 us.
    """
    if "://" in text:
        text = _hide_path_secrets(text)
        if "@" in text:
            text = _URL_USER_INFO.sub(f"://{REDACTED}@", text)
        if "/bot" in text:
            text = _TELEGRAM_BOT_TOKEN.sub(f"/bot{REDACTED}", text)
    if "=" in text:
        lowered = text.lower()
        if any(hint in lowered for hint in _SECRET_NAME_HINTS):
            text = _PARAMETER.sub(_hide_secret_parameter, text)
    if " " in text and any(hint in text for hint in _AUTH_SCHEME_HINTS):
        text = _AUTH_SCHEME.sub(rf"\g<scheme> {REDACTED}", text)
    return text


def redact(value: Any) -> Any:
    """Return a copy of `value` with secrets replaced by REDACTED, at any depth.

    Dict values whose key looks secret are replaced whole; every other string goes through
    `redact_text`. Lists and tuples come back as lists (JSON has no tuples); anything else
    comes back unchanged.
    """
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {
            key: REDACTED if is_secret_key(str(key)) else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


class RedactingLogFilter(logging.Filter):
    """Redact a log record in place: its message, its arguments and its exception text.

    String arguments are redacted one by one, so formatters that read `record.args`
    (uvicorn's access log does) keep working. A secret that only appears once the message
    is formatted (an exception passed as an argument) makes the record carry the formatted,
    redacted message instead. The traceback is formatted here and kept as `exc_text`,
    which formatters print instead of formatting the exception again.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_text(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_text(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        elif isinstance(record.args, dict):
            record.args = redact(record.args)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = None  # arguments that do not fit: the handler reports it, as ever
        if message is not None and (redacted := redact_text(message)) != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


def install_log_redaction() -> None:
    """Redact every log record of this process as it is created (idempotent).

    A filter on a logger misses records of its child loggers, and one on a handler misses
    handlers configured later (uvicorn's) and logging's last-resort handler; the record
    factory sees every record of every logger, and only those a logger lets through, so
    disabled debug logging costs nothing.
    """
    factory = logging.getLogRecordFactory()
    if getattr(factory, "redacts", False):
        return
    log_filter = RedactingLogFilter()

    def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        log_filter.filter(record)
        return record

    redacting_factory.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting_factory)
