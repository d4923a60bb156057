"""Two-factor secrets are stored encrypted, and signing in with a code still works (issue #32)."""

from __future__ import annotations

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from ccm.accounts import mfa_secrets
from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.totp import current_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
migration = importlib.import_module("ccm.accounts.migrations.0002_encrypt_mfa_secrets")


def stored(user_pk: int, kind: str) -> dict[str, object]:
    return dict(Authenticator.objects.get(user_id=user_pk, type=kind).data)


def test_the_totp_secret_is_not_stored_as_it_is(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ISU_STAFF, two_factor=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    value = str(stored(user.pk, Authenticator.Type.TOTP)["secret"])
    assert value != secret and secret not in value
    assert mfa_secrets.is_encrypted(value) and mfa_secrets.decrypt(value) == secret


def test_signing_in_with_a_code_still_works(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.FOCAL_POINT, two_factor=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/my/").status_code in (200, 302)
    assert "_auth_user_id" in client.session


def test_recovery_codes_come_from_an_encrypted_seed_and_still_work(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ISU_STAFF)
    codes = RecoveryCodes.activate(user)
    seed = str(stored(user.pk, Authenticator.Type.RECOVERY_CODES)["seed"])
    assert mfa_secrets.is_encrypted(seed)
    first = codes.generate_codes()[0]
    assert RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).validate_code(first)


def test_the_migration_encrypts_every_secret_stored_before_once(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ISU_STAFF, two_factor=False)
    plain = generate_totp_secret()
    Authenticator.objects.create(user=user, type="totp", data={"secret": plain})
    Authenticator.objects.create(
        user=user,
        type="recovery_codes",
        data={"seed": "ab" * 40, "used_mask": 0, "migrated_codes": ["12345678"]},
    )
    migration.encrypt_all(apps, None)
    totp = stored(user.pk, "totp")
    codes = stored(user.pk, "recovery_codes")
    assert mfa_secrets.decrypt(str(totp["secret"])) == plain
    assert mfa_secrets.decrypt(str(codes["seed"])) == "ab" * 40
    assert [mfa_secrets.decrypt(c) for c in codes["migrated_codes"]] == ["12345678"]  # type: ignore[attr-defined]
    assert codes["used_mask"] == 0
    migration.encrypt_all(apps, None)  # run again: nothing encrypted twice
    assert mfa_secrets.decrypt(str(stored(user.pk, "totp")["secret"])) == plain
    migration.decrypt_all(apps, None)  # and the way back
    assert stored(user.pk, "totp")["secret"] == plain
    assert stored(user.pk, "recovery_codes")["migrated_codes"] == ["12345678"]


def test_a_dedicated_key_survives_a_new_secret_key() -> None:
    with override_settings(CCM_MFA_KEY="a long random string kept for two-factor secrets"):
        token = mfa_secrets.encrypt("JBSWY3DPEHPK3PXP")
        with override_settings(SECRET_KEY="a rotated secret key, as long as the other one"):
            assert mfa_secrets.decrypt(token) == "JBSWY3DPEHPK3PXP"


def test_a_secret_stored_under_another_key_is_a_clear_configuration_error() -> None:
    token = mfa_secrets.encrypt("JBSWY3DPEHPK3PXP")
    with (
        override_settings(CCM_MFA_KEY="another key"),
        pytest.raises(ImproperlyConfigured, match="cannot be decrypted: CCM_MFA_KEY"),
    ):
        mfa_secrets.decrypt(token)
    with pytest.raises(ImproperlyConfigured):
        mfa_secrets.decrypt("JBSWY3DPEHPK3PXP")  # plain: never read as a secret
