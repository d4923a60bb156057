"""A production-like server for the HTTP benchmarks: a scratch database loaded with the shipped
reference data, static files collected, gunicorn with production settings (DEBUG off, a random
secret key), on loopback."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent


def environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "CCM_DATA_DIR": str(data_dir),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}",
            "CCM_ENFORCE_MFA": "false",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def prepare(env: dict[str, str]) -> None:
    """Migrates, loads the reference data and collects the static files."""
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_reference_data"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([str(BIN / "ccm"), *command], env=env, check=True, stdout=subprocess.DEVNULL)


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int = 2) -> Iterator[str]:
    """gunicorn serving on 127.0.0.1:`port` until the block ends; yields its base URL."""
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"), "ccm.wsgi", "--workers", str(workers),
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        ],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def scratch(database_url: str | None = None) -> Iterator[dict[str, str]]:
    """A temporary data directory (and SQLite database unless `database_url`), prepared."""
    with tempfile.TemporaryDirectory(prefix="ccm-bench-") as folder:
        env = environment(Path(folder), database_url)
        prepare(env)
        yield env
