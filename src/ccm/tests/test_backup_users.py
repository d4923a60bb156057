"""Deleted users and backups (issue #32): a backup after an account was deleted still works and
restores, the deleted account's history keeps its label; money records keep who made them, so
such an account is deactivated, never deleted (the service and the admin refuse with the way to
do it); a failed nightly backup exits 1 with one line and e-mails the ISU."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.db.models import ProtectedError
from django.test import Client

from ccm.accounts import services
from ccm.accounts.models import Profile, Role
from ccm.accounts.tests.factories import make_user
from ccm.core import backup
from ccm.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def focal_point_with_history(email: str) -> User:
    user = make_user(Role.FOCAL_POINT, "CHL", "PER", two_factor=False)
    user.email = user.username = email
    user.save()
    profile = Profile.objects.get(user=user)
    profile.states.remove(profile.states.get(iso3="PER"))
    profile.language = "es"
    profile.save()
    return user


def round_trip(tmp_path: Path) -> dict[str, int]:
    archive = tmp_path / "ccm.zip"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    rows: dict[str, int] = json.loads(zipfile.ZipFile(archive).read("manifest.json"))["rows"]
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(archive), stdout=io.StringIO())  # counts checked against rows
    assert backup.row_counts() == rows
    return rows


def test_a_deleted_accounts_history_is_backed_up_restored_and_readable(
    registry_reference: None, media: Path, tmp_path: Path
) -> None:
    staff = make_user(Role.ISU_STAFF)
    gone = focal_point_with_history("gone@state.example")
    gone_id = gone.pk
    services.delete_user(gone, by=staff)
    assert not User.objects.filter(pk=gone_id).exists()
    # An account deleted outside the service (the shell): its history names its id only.
    other = focal_point_with_history("other@state.example")
    other.delete()

    rows = round_trip(tmp_path)
    assert rows["accounts.historicalprofile_states"] >= 6  # added and removed, for both

    history = Profile.history.filter(user_id=gone_id).order_by("history_date", "history_id")
    assert [h.history_type for h in history][-1] == "-"
    assert history.last().history_change_reason == "account gone@state.example deleted"  # type: ignore[union-attr]
    assert all(str(h) for h in Profile.history.all())  # no row of a deleted account fails
    assert str(history.first().instance).startswith(f"#{gone_id} ")  # type: ignore[union-attr]
    event = AuditEvent.objects.get(verb="account.deleted")
    assert event.before == {
        "username": "gone@state.example", "email": "gone@state.example",
        "role": Role.FOCAL_POINT, "states": ["CHL"],
    }  # fmt: skip
    assert event.actor_label == staff.email


def paying_staff() -> User:
    from ccm.finance import services as finance
    from ccm.registry.models import State

    staff = make_user(Role.ISU_STAFF)
    finance.record_payment(
        State.objects.get(iso3="AFG"), received_on=date(2025, 3, 1), amount=Decimal("5.00"),
        currency="CHF", bank_reference="x", by=staff,
    )  # fmt: skip
    return staff


def test_an_account_that_recorded_money_is_deactivated_never_deleted(reference: None) -> None:
    from ccm.finance.models import Payment

    lead = make_user(Role.ISU_STAFF)
    clerk = paying_staff()
    with pytest.raises(services.AccountKept, match=r"deactivate the account instead") as refused:
        services.delete_user(clerk, by=lead)
    assert "payments: 1" in str(refused.value.messages[0])
    with pytest.raises(ProtectedError):  # not even from the shell
        clerk.delete()
    assert Payment.objects.get().created_by == clerk

    services.deactivate_user(clerk, by=lead)
    clerk.refresh_from_db()
    assert not clerk.is_active and Payment.objects.get().created_by == clerk
    event = AuditEvent.objects.get(verb="account.deactivated")
    assert (event.actor_id, event.object_id, event.after) == (
        lead.pk,
        str(clerk.pk),
        {"is_active": False},
    )
    # Deactivated, it no longer signs in: its session ends.
    client = Client()
    client.force_login(clerk)
    assert client.get("/my/").status_code == 302


def test_nobody_deletes_or_deactivates_their_own_account(registry_reference: None) -> None:
    staff = make_user(Role.ISU_STAFF)
    with pytest.raises(services.AccountKept, match="their own account"):
        services.delete_user(staff, by=staff)
    with pytest.raises(services.AccountKept, match="their own account"):
        services.deactivate_user(staff, by=staff)
    assert User.objects.get(pk=staff.pk).is_active


def test_an_account_with_changes_in_the_history_is_kept(registry_reference: None) -> None:
    from ccm.registry.models import Contact, State
    from ccm.registry.tests.factories import ContactFactory

    staff = make_user(Role.ISU_STAFF)
    focal = make_user(Role.FOCAL_POINT, "CHL")
    contact = ContactFactory(state=State.objects.get(iso3="CHL"), name="A", user=focal)
    services.update_own_contact(contact, by=focal, name="B")  # history names no request user
    Contact.history.filter(id=contact.pk).update(history_user=focal)  # as a request would
    with pytest.raises(services.AccountKept, match="historical contacts"):
        services.delete_user(focal, by=staff)


def test_the_admin_refuses_to_delete_an_account_that_made_records_and_deactivates_it(
    reference: None,
) -> None:
    lead = make_user(Role.ISU_STAFF)
    clerk = paying_staff()
    client = Client()
    client.force_login(lead)
    page = client.get(f"/admin/auth/user/{clerk.pk}/delete/").content.decode()
    assert "deactivate the account instead of deleting it" in page
    client.post(f"/admin/auth/user/{clerk.pk}/delete/", {"post": "yes"})
    assert User.objects.filter(pk=clerk.pk).exists()
    page = client.post(
        "/admin/auth/user/", {"action": "delete_selected", "_selected_action": [clerk.pk]}
    ).content.decode()
    assert "deactivate the account instead of deleting it" in page
    client.post("/admin/auth/user/", {"action": "deactivate", "_selected_action": [clerk.pk]})
    assert not User.objects.get(pk=clerk.pk).is_active
    # An account that made nothing is deleted, through the service (audited).
    idle = User.objects.create_user("idle@state.example", "idle@state.example")
    Profile.objects.create(user=idle, role=Role.FOCAL_POINT)
    client.post(f"/admin/auth/user/{idle.pk}/delete/", {"post": "yes"})
    assert not User.objects.filter(pk=idle.pk).exists()
    assert AuditEvent.objects.get(verb="account.deleted").summary == "idle@state.example"


def test_a_failed_backup_exits_1_with_one_line_and_emails_the_isu(
    registry_reference: None, media: Path, tmp_path: Path, settings: Any, monkeypatch: Any
) -> None:
    settings.CCM_SUPPORT_EMAIL = "isu@ccm.example"
    staff = make_user(Role.ISU_STAFF)
    make_user(Role.FOCAL_POINT, "CHL")  # not staff: not told

    def broken() -> bytes:
        raise DatabaseError("could not read block 7 of relation 16390\nDETAIL: more")

    monkeypatch.setattr(backup, "dump", broken)
    archive = tmp_path / "nightly.zip"
    with pytest.raises(CommandError) as failed:
        call_command("backup", str(archive))
    assert failed.value.returncode == 1
    assert str(failed.value) == (
        "backup failed: DatabaseError: could not read block 7 of relation 16390"
    )
    assert not list(tmp_path.glob("nightly.zip*"))  # no archive, not even a partial one
    [message] = mail.outbox
    assert sorted(message.to) == sorted(["isu@ccm.example", staff.email])
    assert "The backup failed" in message.subject and "block 7" in message.body

    # The database itself does not answer: the ISU's own address still hears.
    def no_database(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(User.objects, "filter", no_database)
    assert backup.alert_staff("ccm backup: connection refused") == ["isu@ccm.example"]
    assert mail.outbox[-1].to == ["isu@ccm.example"]
