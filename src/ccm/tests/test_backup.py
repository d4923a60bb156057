"""Backups (issue #16, part): `ccm backup` and `ccm restore` round-trip every row and every
uploaded file; a damaged archive and a database that holds data are refused. Beside the other
whole-project tests: it fills every app, which no app's own tests may import."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ccm.core import backup

# Restores really commit (PostgreSQL refuses to empty tables inside a test's open transaction).
pytestmark = pytest.mark.django_db(transaction=True)


def snapshot(media: Path) -> tuple[list[str], dict[str, str]]:
    """Every row (as its natural-key JSON, without surrogate ids) and every file's checksum."""
    rows = sorted(json.dumps(obj, sort_keys=True) for obj in json.loads(backup.dump()))
    files = {
        p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(media.rglob("*"))
        if p.is_file()
    }
    return rows, files


@pytest.fixture
def data(reference: None, settings: Any, tmp_path: Path) -> Path:
    """The reference data, an assessment with its invoices as PDFs, and a payment."""
    from decimal import Decimal

    from ccm.finance import services
    from ccm.finance.tests.factories import assessed
    from ccm.registry.models import State

    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    first = assessed("1000.00", year=2025, as_of=date(2025, 1, 1))
    services.issue_invoices(first, by=None, size=3, send=False, issued_on=date(2025, 2, 1))
    services.record_payment(
        State.objects.get(iso3="AFG"),
        received_on=date(2025, 3, 1),
        amount=Decimal("1.00"),
        currency="CHF",
        bank_reference="x",
        by=None,
    )
    return media


def test_a_round_trip_restores_every_row_and_file(data: Path, tmp_path: Path) -> None:
    before = snapshot(data)
    assert len(before[1]) == 3 and len(before[0]) > 3000
    archive = tmp_path / "ccm.zip"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "3 files" in out.getvalue()
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    assert manifest["rows"]["finance.invoice"] == 3 and len(manifest["files"]) == 3
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(data)
    assert not backup.holds_data()
    call_command("restore", str(archive), stdout=io.StringIO())
    assert snapshot(data) == before


def test_restoring_onto_data_or_from_a_damaged_archive_is_refused(
    data: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "ccm.zip"
    backup.backup(archive)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))
    assert refused.value.returncode == 1 and "already holds data" in str(refused.value)
    # Damaged: one file changed inside the archive
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename.startswith("media/"):
                content = content + b"x"
            dst.writestr(item, content)
    with pytest.raises(backup.Refused, match="does not match its checksum"):
        backup.read(damaged)
    (tmp_path / "not.zip").write_bytes(b"hello")
    with pytest.raises(backup.Refused, match="not a backup archive"):
        backup.read(tmp_path / "not.zip")
    # Told to, it replaces what the database holds
    before = snapshot(data)
    from ccm.registry.models import State

    State.objects.filter(iso3="AFG").update(name_en="Changed")
    backup.restore(archive, force=True)
    assert snapshot(data) == before


def test_an_archive_whose_rows_do_not_load_is_refused_in_one_line_and_writes_nothing(
    data: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "ccm.zip"
    backup.backup(archive)
    # A row naming an account the archive does not hold, checksums made to match.
    with zipfile.ZipFile(archive) as src:
        manifest = json.loads(src.read("manifest.json"))
        rows = json.loads(src.read("database.json"))
        files = {n: src.read(n) for n in src.namelist() if n.startswith("media/")}
    fields = {"user": 424242, "role": "focal_point", "language": "en", "states": []}
    rows.append({"model": "accounts.profile", "pk": 999, "fields": fields})
    content = json.dumps(rows).encode()
    manifest["data_sha256"] = hashlib.sha256(content).hexdigest()
    manifest["rows"]["accounts.profile"] += 1
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as dst:
        dst.writestr("database.json", content)
        dst.writestr("manifest.json", json.dumps(manifest))
        for name, body in files.items():
            dst.writestr(name, body)
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(data)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(broken))
    message = str(refused.value)
    assert refused.value.returncode == 1 and "\n" not in message
    assert message.startswith("the rows of the archive do not load: ")
    assert not backup.holds_data() and not data.exists()
