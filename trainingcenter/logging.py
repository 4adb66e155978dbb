import re

from pythonjsonlogger.json import JsonFormatter

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


class JSONFormatter(JsonFormatter):
    """One JSON object per line, for log collectors reading standard output.

    python-json-logger writes the JSON; this keeps a fixed set of fields (a record's
    extras, such as Django's ``request``, are left out) and redacts secret URLs from the
    message and the exception, because request lines name URLs and some carry secrets."""

    FIELDS = ("time", "level", "logger", "message", "status", "exception")

    def __init__(self):
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={
                "levelname": "level",
                "name": "logger",
                "status_code": "status",
                "exc_info": "exception",
            },
            timestamp="time",
        )

    def process_log_record(self, log_data):
        entry = {field: log_data.get(field) for field in self.FIELDS}
        for field in ("message", "exception"):
            entry[field] = redact_secrets(entry[field])
        return {field: value for field, value in entry.items() if value is not None}
