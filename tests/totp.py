"""TOTP codes as an authenticator app shows them, never about to expire."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def current_code(secret, *, margin=5):
    """The code of the current period; when fewer than ``margin`` seconds of the period are
    left, wait for the next one, so the server still accepts the code when it arrives."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
