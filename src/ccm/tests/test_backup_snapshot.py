"""A backup reads one snapshot (issue #32): a row written while the dump runs is in the archive
with everything it refers to, or not at all, and the manifest counts what the data holds. On
PostgreSQL (REPEATABLE READ); SQLite's in-memory test database shares its cache between
connections, where a reader blocks writers, so the SQLite file case is left to the restores."""

from __future__ import annotations

import json
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections

from ccm.core import backup

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_row_written_during_the_dump_is_not_half_in_the_archive(
    settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database cannot hold a reader beside a writer")
    settings.MEDIA_ROOT = tmp_path / "media"
    User.objects.create_user("before@isu.example")
    serialize = backup.Rows.serialize
    written: list[str] = []

    def write_meanwhile() -> None:
        try:
            User.objects.create_user("meanwhile@isu.example")
            written.append("yes")
        finally:
            connections.close_all()

    def serialize_then_write(self: Any, rows: Any, **kwargs: Any) -> Any:
        out = serialize(self, rows, **kwargs)
        if not written:  # once, after the first model, long before the users (dependency order)
            writer = threading.Thread(target=write_meanwhile)
            writer.start()
            writer.join(timeout=10)
            assert written, "the writer was blocked by the backup"
        return out

    monkeypatch.setattr(backup.Rows, "serialize", serialize_then_write)
    made = backup.backup(tmp_path / "ccm.zip")
    with zipfile.ZipFile(tmp_path / "ccm.zip") as archive:
        rows = json.loads(archive.read("database.json"))
        manifest = json.loads(archive.read("manifest.json"))
    names = [r["fields"]["username"] for r in rows if r["model"] == "auth.user"]
    assert names == ["before@isu.example"]  # the snapshot began before the write
    assert manifest["rows"]["auth.user"] == 1 and made.rows == len(rows)
    assert User.objects.count() == 2
