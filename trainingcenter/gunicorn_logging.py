"""Gunicorn's access log as one JSON object per line on standard output.

Gunicorn's own ``access_log_format`` pastes raw values into the line, so a user agent or
path with a double quote in it would break the JSON; here every value is encoded. Secrets
in URLs (calendar tokens, password-reset keys, invitations) are redacted."""

import json
import time

from gunicorn.glogging import Logger

from trainingcenter.logging import redact_secrets


class JSONLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "logger": "gunicorn.access",
            "remote": environ.get("REMOTE_ADDR", "-"),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR", ""),
            "method": environ.get("REQUEST_METHOD"),
            "path": redact_secrets(environ.get("PATH_INFO")),
            "query": redact_secrets(environ.get("QUERY_STRING", "")),
            "status": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "agent": environ.get("HTTP_USER_AGENT", ""),
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:
            self.exception("Could not write the access log line")
