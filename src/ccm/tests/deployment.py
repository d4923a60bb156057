"""A deployment for tests that run real processes (issue #16): a database of its own (a SQLite
file, or a PostgreSQL database made for the run when the tests run on PostgreSQL), migrated and
loaded with the reference data by `ccm` itself, static files collected, and gunicorns or Python
processes over it with production settings (DEBUG off)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Deployment:
    folder: Path
    env: dict[str, str]

    def ccm(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "ccm"), *args], env=self.env, check=True, capture_output=True, text=True
        )

    def python(self, *args: str) -> subprocess.Popen[str]:
        """`python -m ...` in the deployment's environment (Django set up by the module)."""
        return subprocess.Popen(
            [sys.executable, *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    @contextmanager
    def gunicorn(self, workers: int = 1, **env: str) -> Iterator[str]:
        """A gunicorn on a free port until the block ends; yields its base URL."""
        port = free_port()
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "ccm.wsgi", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            env={**self.env, **env},
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"{base}/health/", timeout=1).read()
                    break
                except OSError:
                    assert process.poll() is None, "gunicorn stopped"
                    time.sleep(0.05)
            yield base
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def database_url(name: str) -> str | None:
    """On PostgreSQL (DATABASE_URL names one), a database `name` on the same server, made
    empty; on SQLite, None (the deployment uses a file)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def drop_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path[1:]}" WITH (FORCE)')


def make(folder: Path) -> Deployment:
    url = database_url(f"ccm_processes_{os.getpid()}")
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "CCM_DATA_DIR": str(folder),
            "DATABASE_URL": url or f"sqlite:///{folder / 'ccm.sqlite3'}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,ccm.example",
            "CCM_ENFORCE_MFA": "false",
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "CRITICAL",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        }
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    deployment = Deployment(folder, env)
    deployment.ccm("migrate", "--noinput", "-v0")
    deployment.ccm("load_reference_data")
    deployment.ccm("collectstatic", "--noinput", "-v0")
    return deployment


class Browser:
    """A visitor with cookies, reading pages and posting forms with their CSRF token."""

    def __init__(self, host: str = "") -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.host = host  # the name a load balancer passes on, whichever server it chose

    def _open(self, url: str, data: bytes | None = None, **headers: str) -> tuple[int, str]:
        if self.host:
            headers["Host"] = self.host
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get(self, url: str) -> tuple[int, str]:
        return self._open(url)

    def post(self, url: str, form_url: str, data: dict[str, str]) -> tuple[int, str]:
        """Reads the form page first for its CSRF token, then posts."""
        _status, html = self.get(form_url)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert found, f"no CSRF token on {form_url}"
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": found.group(1)}).encode()
        return self._open(url, body, Referer=form_url)
