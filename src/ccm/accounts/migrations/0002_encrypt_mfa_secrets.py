"""Encrypts the two-factor secrets stored before issue #32 (TOTP keys, recovery-code seeds and
migrated codes): every one, so that reading them never has to guess whether a value is plain."""

from django.db import migrations

from ccm.accounts import mfa_secrets


def _convert(apps, convert) -> None:  # type: ignore[no-untyped-def]
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = dict(authenticator.data or {})
        for field in ("secret", "seed"):
            if isinstance(data.get(field), str):
                data[field] = convert(data[field])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_all(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _convert(apps, lambda v: v if mfa_secrets.is_encrypted(v) else mfa_secrets.encrypt(v))


def decrypt_all(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _convert(apps, lambda v: mfa_secrets.decrypt(v) if mfa_secrets.is_encrypted(v) else v)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_all, decrypt_all, elidable=False)]
