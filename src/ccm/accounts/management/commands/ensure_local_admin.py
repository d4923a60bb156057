"""`ccm ensure_local_admin`: a local ISU staff account for a first look (used by `make run`).

Creates admin@localhost once, with a random password kept in the data directory, and prints how
to sign in. Refuses to run with DEBUG off on anything but a local SQLite database.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from ccm.accounts.models import Profile, Role

EMAIL = "admin@localhost"


class Command(BaseCommand):
    help = "Create (once) a local ISU staff account and print how to sign in."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("ensure_local_admin is for the local SQLite database only.")
        secret_file = settings.DATA_DIR / "local-admin-password.txt"
        user = User.objects.filter(username=EMAIL).first()
        if user is None or not secret_file.exists():
            password = secrets.token_urlsafe(12)
            user = user or User(username=EMAIL, email=EMAIL)
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            Profile.objects.update_or_create(user=user, defaults={"role": Role.ISU_STAFF})
            secret_file.write_text(password + "\n", encoding="utf-8")
            secret_file.chmod(0o600)
        password = secret_file.read_text(encoding="utf-8").strip()
        self.stdout.write(
            "\nSign in locally at http://127.0.0.1:8000/accounts/login/\n"
            f"  e-mail:   {EMAIL}\n  password: {password}   (kept in {secret_file})\n"
            "ISU staff must set up an authenticator app (TOTP) at first sign-in.\n"
        )
