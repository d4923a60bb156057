"""Two-factor secrets (TOTP keys, recovery-code seeds) stored encrypted (issue #32).

A copy of the database (a backup, a dump handed to a developer) no longer holds what it takes to
compute anyone's codes. Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) with a key
derived by HKDF from CCM_MFA_KEY, or from SECRET_KEY when that is not set: set CCM_MFA_KEY
before rotating SECRET_KEY, or every authenticator has to be set up again."""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Fernet tokens are URL-safe base64 of a version byte 0x80 and a timestamp: this is how they
# begin for any date before 2106. A TOTP secret (base32) or a recovery seed (hex) never does.
TOKEN_PREFIX = "gAAAAA"


@lru_cache(maxsize=4)
def _fernet(material: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"ccm.accounts.mfa-secrets"
    ).derive(material.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(key))


def fernet() -> Fernet:
    return _fernet(str(settings.CCM_MFA_KEY or settings.SECRET_KEY))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as error:
        raise ImproperlyConfigured(
            "A two-factor secret cannot be decrypted: CCM_MFA_KEY (or SECRET_KEY, from which "
            "it is derived when unset) is not the one it was stored with."
        ) from error


def is_encrypted(text: str) -> bool:
    """Whether a stored value is one of our tokens (the migration encrypts only the others)."""
    if not text.startswith(TOKEN_PREFIX):
        return False
    try:
        fernet().decrypt(text.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True
