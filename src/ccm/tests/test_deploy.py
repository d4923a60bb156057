"""Deployment settings (issue #7, item 6): no public secret key, `check --deploy` clean with the
README's production environment, a Content Security Policy, private pages never cached."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.middleware import csp_header

# The production environment the README documents (with a made-up host).
PRODUCTION_ENV = {
    "DEBUG": "false",
    "HTTPS": "true",
    "ALLOWED_HOSTS": "ccm.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://ccm.example.org",
    "CCM_BASE_URL": "https://ccm.example.org",
    "EMAIL_URL": "smtp+tls://user:pass@mail.example.org:587",
    "DEFAULT_FROM_EMAIL": "isu@example.org",
}


def ccm(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `ccm` in a clean environment, with an empty data folder (no local secret key)."""
    base = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "CCM_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "ccm", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_environment(
    tmp_path: Path,
) -> None:
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    result = ccm(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_and_with_debug_off_the_application_refuses_to_start(
    tmp_path: Path,
) -> None:
    result = ccm(["check"], PRODUCTION_ENV, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_local_secret_key_is_read_from_the_data_folder(tmp_path: Path) -> None:
    (tmp_path / "secret-key").write_text(secrets.token_urlsafe(50))
    result = ccm(["check"], {"DEBUG": "false"}, tmp_path)
    assert result.returncode == 0, result.stderr


def test_csp_header_is_written_as_django_6_writes_it() -> None:
    policy = {"default-src": ["'self'"], "img-src": ["'self'", "data:"], "upgrade-insecure": []}
    assert csp_header(policy) == "default-src 'self'; img-src 'self' data:; upgrade-insecure"


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(client: Client) -> None:
    for url in ("/health/", "/accounts/login/", "/no-such-page/"):
        csp = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


@pytest.mark.django_db
def test_pages_seen_signed_in_are_not_cached_and_public_pages_may_be(client: Client) -> None:
    anonymous = client.get("/health/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(make_user(Role.ISU_STAFF))
    for url in ("/my/", "/my/contacts/", "/health/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        assert "Cookie" in response["Vary"], url


def test_https_settings_are_off_locally_and_on_in_production(tmp_path: Path) -> None:
    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE)"
    )
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    on = ccm(["shell", "-v", "0", "-c", script], env, tmp_path)
    assert on.stdout.split() == ["True", "31536000", "True", "True"], on.stderr
    off = ccm(["shell", "-v", "0", "-c", script], {"DEBUG": "true"}, tmp_path)
    assert off.stdout.split() == ["False", "0", "False", "False"], off.stderr


def test_behind_the_proxy_sign_in_limits_count_each_visitor_not_the_proxy(
    tmp_path: Path,
) -> None:
    """The proxy adds the visitor's address to X-Forwarded-For; allauth's limits (per address)
    must read it, or everyone behind the proxy shares one limit of 30 sign-ins a minute."""
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50), "BEHIND_PROXY": "true"}
    code = (
        "from django.test import RequestFactory\n"
        "from allauth.core.internal.httpkit import get_client_ip\n"
        "r = RequestFactory().get('/', REMOTE_ADDR='10.0.0.2',"
        " HTTP_X_FORWARDED_FOR='198.51.100.7, 203.0.113.9')\n"
        "print(get_client_ip(r))\n"
    )
    behind = ccm(["shell", "-c", code], env, tmp_path)
    assert behind.stdout.strip().endswith("203.0.113.9"), behind.stderr
    direct = ccm(["shell", "-c", code], {**env, "BEHIND_PROXY": "false"}, tmp_path)
    assert direct.stdout.strip().endswith("10.0.0.2"), direct.stderr  # a forged header is ignored
