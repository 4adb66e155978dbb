import json
import logging
import re
from datetime import UTC, datetime

REDACTED = "[redacted]"

# URLs whose path carries a secret that works as a key on its own: the calendar feed
# token, the password-reset key, the invitation token and the e-mail confirmation key.
# A slash may be percent-encoded (a login "?next=" that points at such a URL).
_SLASH = r"(?:/|%2F)"
SECRET_URLS = re.compile(
    rf"(?P<head>{_SLASH}(?:portal{_SLASH}calendar|portal{_SLASH}invitation"
    rf"|accounts{_SLASH}password{_SLASH}reset{_SLASH}key|accounts{_SLASH}confirm-email)"
    rf"{_SLASH})(?P<secret>(?:(?!%2F)[^/\s\"'?&#])+?)(?P<tail>\.ics|{_SLASH}|[\s\"'?&#]|$)",
    re.IGNORECASE,
)
# Named URLs on the same prefixes that carry no secret.
NOT_SECRET = {"reset", "done", "key"}


def _redact(match):
    if match["secret"].lower() in NOT_SECRET:
        return match[0]
    return f"{match['head']}{REDACTED}{match['tail']}"


def redact_secrets(text):
    """The text with every secret URL segment replaced by ``[redacted]``."""
    if not text:
        return text
    return SECRET_URLS.sub(_redact, text)


class JSONFormatter(logging.Formatter):
    """One JSON object per line, for log collectors reading standard output.

    Request lines name URLs, and some URLs carry secrets: those are redacted."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": redact_secrets(record.getMessage()),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = redact_secrets(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)
