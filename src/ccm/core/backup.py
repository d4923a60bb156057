"""Backups (issue #16, part): the whole database and the uploaded files in one archive, with a
manifest of checksums and row counts, and its restore, on SQLite and PostgreSQL alike.

The database is written with Django's serializers, natural keys for the content types and
permissions (which each database makes for itself), so an archive taken on one database loads
on the other. Restoring checks every checksum before anything is written, refuses a database
that already holds data unless told, and loads everything in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
DATA = "database.json"
MANIFEST = "manifest.json"
MEDIA = "media/"
# Made again by every database (migrations, content types, permissions), or throwaway (sessions).
LEFT_OUT = [
    "contenttypes", "auth.permission", "sessions", "admin.logentry",
    "core.datarevision",  # a marker of the last write, changed by the restore itself
]  # fmt: skip


class Refused(Exception):
    """The archive or the database is not fit for a restore; the message says why."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _models() -> list[Any]:
    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]


def row_counts() -> dict[str, int]:
    """Rows per model of what a backup holds (the models left out are not counted)."""
    out = {}
    for model in _models():
        label = model._meta.label_lower
        if _left_out(model):
            continue
        out[label] = model.objects.count()
    return out


class Exact(DjangoJSONEncoder):
    """Django's encoder, but times to the microsecond (its own stops at the millisecond, which
    a backup must not lose)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _left_out(model: Any) -> bool:
    return model._meta.label_lower in LEFT_OUT or model._meta.app_label in LEFT_OUT


def dump() -> bytes:
    """Every row of every model, in an order that loads (dependencies first), with natural
    keys, as JSON that `loaddata` reads."""
    from django.core import serializers

    configs = [(c, None) for c in apps.get_app_configs() if c.models_module is not None]
    objects: list[Any] = []
    for model in serializers.sort_dependencies(configs, allow_cycles=True):
        if _left_out(model) or not model._meta.managed or model._meta.proxy:
            continue
        rows = model._default_manager.order_by(model._meta.pk.name).iterator()
        objects += serializers.serialize(
            "python", rows, use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
    return json.dumps(objects, cls=Exact).encode()


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@dataclass
class Made:
    rows: int = 0
    files: int = 0
    size: int = 0


def backup(path: Path) -> Made:
    """Write the archive: the database as JSON, every uploaded file, and the manifest."""
    data = dump()
    counts = row_counts()
    root = Path(settings.MEDIA_ROOT)
    files = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA, data)
        for file in media_files():
            name = file.relative_to(root).as_posix()
            content = file.read_bytes()
            archive.writestr(MEDIA + name, content)
            files[name] = _sha256(content)
        manifest = {
            "format": FORMAT,
            "made_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "data_sha256": _sha256(data),
            "rows": counts,
            "files": files,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
    partial.replace(path)  # never a half-written archive under the name asked for
    return Made(sum(counts.values()), len(files), path.stat().st_size)


def holds_data() -> bool:
    """The database already holds rows beyond what migrations make for themselves."""
    return any(count for label, count in row_counts().items())


@dataclass
class Restored:
    rows: int = 0
    files: int = 0
    checked: list[str] = field(default_factory=list)


def read(path: Path) -> tuple[dict[str, Any], bytes, dict[str, bytes]]:
    """The manifest, the data and the files of an archive, every checksum verified (Refused)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise Refused(f"{path} is not a backup archive: {exc}") from None
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names or DATA not in names:
            raise Refused(f"{path} has no {MANIFEST} or {DATA}: not a backup of this system")
        manifest = json.loads(archive.read(MANIFEST))
        if manifest.get("format") != FORMAT:
            raise Refused(f"archive format {manifest.get('format')!r}, this system reads {FORMAT}")
        data = archive.read(DATA)
        if _sha256(data) != manifest["data_sha256"]:
            raise Refused(f"{DATA} does not match its checksum: the archive is damaged")
        files = {}
        for name, digest in manifest["files"].items():
            if name.startswith("/") or ".." in Path(name).parts:
                raise Refused(f"file {name!r} would be written outside the media folder")
            member = MEDIA + name
            if member not in names:
                raise Refused(f"file {name!r} is listed in the manifest but missing")
            content = archive.read(member)
            if _sha256(content) != digest:
                raise Refused(f"file {name!r} does not match its checksum")
            files[name] = content
    return manifest, data, files


def restore(path: Path, *, force: bool = False) -> Restored:
    """Load an archive into this database and media folder: every checksum checked first;
    a database holding data refused unless `force` (then emptied first); the rows loaded in
    one transaction and counted against the manifest."""
    manifest, data, files = read(path)
    call_command("migrate", verbosity=0, interactive=False)
    if holds_data() and not force:
        raise Refused(
            "the database already holds data: restore onto an empty one, or use "
            "--force to replace everything in it"
        )
    staged = Path(settings.MEDIA_ROOT)
    with transaction.atomic():
        if force:
            call_command("flush", interactive=False, verbosity=0)
        fixture = staged.parent / ".restore.json"
        fixture.parent.mkdir(parents=True, exist_ok=True)
        fixture.write_bytes(data)
        try:
            call_command("loaddata", str(fixture), verbosity=0)
        finally:
            fixture.unlink(missing_ok=True)
        counts = row_counts()
        wrong = {k: (v, counts.get(k)) for k, v in manifest["rows"].items() if counts.get(k) != v}
        if wrong:
            raise Refused(f"rows differ from the manifest after loading: {wrong}")
    for name, content in files.items():
        target = staged / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return Restored(sum(counts.values()), len(files), sorted(manifest["rows"]))
