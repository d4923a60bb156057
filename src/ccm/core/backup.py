"""Backups (issue #16, part): the whole database and the uploaded files in one archive, with a
manifest of checksums and row counts, and its restore, on SQLite and PostgreSQL alike.

The database is written with Django's serializers, natural keys for the content types and
permissions (which each database makes for itself) and ids for every other row, so an archive
taken on one database loads on the other. Restoring checks every checksum before anything is
written, refuses a database that already holds data unless told, and loads everything in one
transaction with history recording off: the history rows are data like any other (issue #32)."""

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
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer
from django.db import DatabaseError, connection, transaction
from django.test.utils import override_settings
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


# Rows each database makes for itself, with ids of its own: referred to by natural key.
NATURAL = {"contenttypes.contenttype", "auth.permission"}


class Rows(Serializer):
    """Django's "python" serializer, natural keys only for references to `NATURAL` rows.

    Every other reference is written as the id it holds, never looked up: a history row keeps
    the id of a user deleted since (simple-history's copies of foreign keys have no database
    constraint), and looking up that user's natural key failed every backup after a user was
    deleted (issue #32). Users keep their ids, so that id still names nobody else."""

    def _natural_for(self, field: Any) -> None:
        self.use_natural_foreign_keys = field.remote_field.model._meta.label_lower in NATURAL

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        self._natural_for(field)
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:  # a history row's content type removed since: keep its id
            self._current[field.name] = self._value_from_field(obj, field)  # type: ignore[attr-defined]

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        self._natural_for(field)
        super().handle_m2m_field(obj, field)


def dump() -> bytes:
    """Every row of every model, in an order that loads (dependencies first), with ids (natural
    keys for content types and permissions), as JSON that `loaddata` reads."""
    from django.core import serializers

    configs = [(c, None) for c in apps.get_app_configs() if c.models_module is not None]
    objects: list[Any] = []
    for model in serializers.sort_dependencies(configs, allow_cycles=True):
        if _left_out(model) or not model._meta.managed or model._meta.proxy:
            continue
        rows = model._default_manager.order_by(model._meta.pk.name).iterator()
        objects += Rows().serialize(rows, use_natural_primary_keys=False)
    return json.dumps(objects, cls=Exact).encode()


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@dataclass
class Made:
    rows: int = 0
    files: int = 0
    size: int = 0


def snapshot() -> tuple[bytes, dict[str, int]]:
    """`dump()` read as one snapshot, and the rows it holds per model counted from the dump
    itself: a row written meanwhile is in it with all it refers to, or not at all, and the
    manifest always agrees with the data."""
    if connection.in_atomic_block:  # inside the caller's transaction: its view it is
        data = dump()
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            data = dump()
    else:
        # A deferred transaction: SQLite's reader in WAL mode keeps one snapshot and blocks no
        # writer, where Django's atomic() would take the write lock (BEGIN IMMEDIATE) for the
        # whole dump.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                data = dump()
            finally:
                cursor.execute("COMMIT")
    counts = {m._meta.label_lower: 0 for m in _models() if not _left_out(m)}
    for obj in json.loads(data):
        counts[obj["model"]] += 1
    return data, counts


def backup(path: Path) -> Made:
    """Write the archive: the database as JSON, every uploaded file, and the manifest."""
    data, counts = snapshot()
    files: dict[str, str] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    try:
        _write(partial, data, counts, files)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)  # never a half-written archive under the name asked for
    return Made(sum(counts.values()), len(files), path.stat().st_size)


def _write(partial: Path, data: bytes, counts: dict[str, int], files: dict[str, str]) -> None:
    root = Path(settings.MEDIA_ROOT)
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


def alert_staff(error: str) -> list[str]:
    """E-mail a failed backup to the ISU: staff accounts and the ISU's own address
    (`CCM_SUPPORT_EMAIL`) and `ADMINS`. Handed straight to the mail server, not queued in the
    outbox: the outbox is a table, and the database may be what failed; when it does not
    answer, the ISU's address still hears. Returns the addresses written to."""
    from django.contrib.auth.models import User
    from django.core.mail import send_mail
    from django.utils.translation import gettext as _

    to = {settings.CCM_SUPPORT_EMAIL, *(address for _name, address in settings.ADMINS)}
    try:
        staff = User.objects.filter(is_active=True, is_staff=True).exclude(email="")
        to |= set(staff.values_list("email", flat=True))
    except DatabaseError:
        pass
    recipients = sorted(a for a in to if a)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("The backup failed"),
        _(
            "The backup of %(site)s failed at %(at)s:\n\n%(error)s\n\nNo archive was written. "
            "Until a backup succeeds, the last good archive is the one to restore from."
        )
        % {"site": settings.SITE_NAME, "at": timezone.now().isoformat(timespec="seconds"),
           "error": error},
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )  # fmt: skip
    return recipients


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
            # Loading passes raw=True to post_save, which history skips, but setting the States
            # of a profile sends m2m_changed, on which simple-history writes a history row of
            # its own: recording is off while the rows, history rows among them, are loaded.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(fixture), verbosity=0)
        except (DatabaseError, DeserializationError) as exc:  # rolled back: nothing written
            reason = str(exc).replace(str(fixture), DATA).splitlines()[0]
            raise Refused(f"the rows of the archive do not load: {reason}") from None
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
