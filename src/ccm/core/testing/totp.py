"""A TOTP code for tests that stays valid long enough to be used.

A code computed in the last seconds of its 30-second window was refused when the request
arrived in the next window, and a test failed about once in a few dozen runs."""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

PERIOD = 30  # allauth's default MFA_TOTP_PERIOD
MARGIN = 4  # seconds the code must stay valid: a browser test signs in within them


def current_code(secret: str) -> str:
    """The code of the current window, waiting for the next one when this one is nearly over."""
    left = PERIOD - time.time() % PERIOD
    if left < MARGIN:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // PERIOD))
