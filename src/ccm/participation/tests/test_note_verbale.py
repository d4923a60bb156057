"""Staff enter a delegation from the note verbale the State sent by e-mail (issue #25, item 4):
the same service, rules and audit as the State's own registration through its link."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

import ccm.meetings.tests.factories as factories
from ccm.core.models import AuditEvent
from ccm.core.testing.files import DOCX
from ccm.core.testing.files import PDF as TINY_PDF
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.meetings import services as meetings
from ccm.participation import services
from ccm.participation.models import Delegation, Invitation
from ccm.registry.models import State

pytestmark = pytest.mark.django_db
STAFF_ONLY: dict[str, int | str] = {
    "anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 403,
    "staff": 200,
}  # fmt: skip


class Rewound(SimpleUploadedFile):
    """A file the test client can send more than once (each post reads it from the start)."""

    def read(self, *args: Any) -> bytes:
        self.seek(0)
        return super().read(*args)


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def meeting(registry_reference: None, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    settings.CCM_BASE_URL = "http://testserver"
    meetings.load_meetings()
    opens = timezone.localdate() + timedelta(days=60)
    found = factories.coming_meeting("14MSP", opens=opens)
    services.invite(found, categories={"party"}, by=None)  # Chile and Peru are; the USA is not
    return found


def entry(n: int = 3, revision: int = 0, note: Any = None, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    data: dict[str, Any] = {"m-TOTAL_FORMS": str(n), "m-INITIAL_FORMS": "0",
                            "m-MIN_NUM_FORMS": "0", "m-MAX_NUM_FORMS": "60",
                            "revision": str(revision), "received_on": today}  # fmt: skip
    roles = ["head", "alternate", "adviser"]
    for i in range(n):
        data.update({f"m-{i}-role": roles[min(i, 2)], f"m-{i}-name": f"Delegate {i}",
                     f"m-{i}-gender": "unsaid"})  # fmt: skip
    data["note_verbale"] = note if note is not None else SimpleUploadedFile(
        "nv.png", png(), content_type="image/png")  # fmt: skip
    data.update(extra)  # may replace the note too
    return data


def test_staff_enter_a_delegation_from_a_note_verbale_with_the_states_rules_and_audit(
    meeting: Any, personas: dict[str, Client]
) -> None:
    staff = personas["staff"]
    chile = Invitation.objects.get(state_id="CHL")
    chosen = staff.get("/staff/participation/14MSP/note-verbale/", {"state": "CHL"})
    assert chosen.status_code == 302
    url = f"/staff/participation/invitation/{chile.pk}/note-verbale/"
    assert chosen["Location"] == url
    page = staff.get(url).content.decode()
    assert "m-0-role" in page and "Chile" in page and 'name="received_on"' in page
    received = timezone.localdate() - timedelta(days=2)
    done = staff.post(url, entry(3, received_on=received.isoformat()))
    assert done.status_code == 302
    delegation = Delegation.objects.get()
    assert done["Location"] == f"/staff/participation/delegation/{delegation.pk}/"
    assert (delegation.status, delegation.source, delegation.revision) == ("submitted", "note", 1)
    assert delegation.note_received_on == received
    assert delegation.note_verbale.name.endswith(".png")  # stored, linked to the delegation
    assert [m.role for m in delegation.members.all()] == ["head", "alternate", "adviser"]
    event = AuditEvent.objects.get(verb="delegation.submitted")
    assert str(event.actor_id) == staff.session["_auth_user_id"]  # by= the staff member
    assert event.object_id == str(delegation.pk)
    assert f"note verbale received on {received.isoformat()}" in event.summary
    shown = staff.get(f"/staff/participation/delegation/{delegation.pk}/").content.decode()
    assert 'data-source="note"' in shown and "note verbale received on" in shown
    note = staff.get(f"/staff/participation/delegation/{delegation.pk}/note-verbale/")
    assert note.status_code == 200 and ".png" in note["Content-Disposition"]
    # Staff confirm it as they confirm any delegation
    staff.post(f"/staff/participation/delegation/{delegation.pk}/",
               {"action": "confirm", "query": "", "revision": "1"})  # fmt: skip
    delegation.refresh_from_db()
    assert delegation.status == "confirmed"
    # The State sees it through its link, and saves the current version: a new version
    browser = Client()
    assert browser.post(f"/register/{services.link_token(chile)}/").status_code == 302
    mine = browser.get("/register/").content.decode()
    assert 'data-source="note"' in mine and "Delegate 0" in mine
    stale = {k: v for k, v in entry(1, revision=0).items() if k != "note_verbale"}
    assert browser.post("/register/", stale).status_code == 409  # opened before: refused
    assert Delegation.objects.get().members.count() == 3
    fresh = {k: v for k, v in entry(1, revision=2).items() if k != "note_verbale"}
    assert browser.post("/register/", fresh).status_code == 302
    delegation.refresh_from_db()
    assert (delegation.source, delegation.revision, delegation.status) == ("link", 3, "submitted")
    assert delegation.note_verbale and delegation.note_received_on == received  # the note kept
    # A second note from a page opened before the State's change: refused, not overwritten
    late = staff.post(url, entry(2, revision=2))
    assert late.status_code == 409 and "changed meanwhile" in late.content.decode()
    assert Delegation.objects.get().members.count() == 1
    # The second note on the current version is the next version (a Word document)
    second = staff.post(url, entry(2, revision=3, note=SimpleUploadedFile(
        "nv.docx", DOCX, content_type="application/octet-stream")))  # fmt: skip
    assert second.status_code == 302
    delegation.refresh_from_db()
    assert (delegation.source, delegation.revision) == ("note", 4)
    assert delegation.note_verbale.name.endswith(".docx")
    assert delegation.history.count() == 4  # every version kept
    summaries = list(
        AuditEvent.objects.filter(verb="delegation.submitted").values_list("summary", flat=True)
    )
    assert len(summaries) == 3 and sum("(note; note verbale" in s for s in summaries) == 2


def _rejected(client: Client, url: str, data: dict[str, Any], text: str) -> None:
    response = client.post(url, data)
    assert response.status_code == 400, response.status_code
    assert text in response.content.decode()
    assert not Delegation.objects.exists()


def test_refusals(meeting: Any, personas: dict[str, Client], settings: Any) -> None:
    staff = personas["staff"]
    chile = Invitation.objects.get(state_id="CHL")
    url = f"/staff/participation/invitation/{chile.pk}/note-verbale/"
    # A bad file: named PDF but not one, a PNG that is HTML, a truncated image, an executable
    for name, body, says in (
        ("nv.pdf", b"%PDF-1.4 <html>not a pdf</html>", "not a readable PDF"),
        ("nv.png", b"<html>hello</html>", "not a PNG document"),
        ("nv.png", png()[:60], "not a readable PNG or JPEG image"),
        ("nv.jpg", b"\xff\xd8\xff\xe0 nothing else", "not a readable PNG or JPEG image"),
        ("nv.exe", b"MZ\x90\x00", "not allowed"),
    ):
        _rejected(staff, url, entry(note=SimpleUploadedFile(name, body)), says)
    settings.CCM_REPORT_FILE_MAX_MB = 0
    _rejected(staff, url, entry(), "the limit is 0 MB")
    settings.CCM_REPORT_FILE_MAX_MB = 20
    # No note at all; received in the future; no head of delegation; two heads
    no_note = entry()
    del no_note["note_verbale"]
    _rejected(staff, url, no_note, "This field is required")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    _rejected(staff, url, entry(received_on=tomorrow), "after today")
    _rejected(staff, url, entry(3, **{"m-0-role": "adviser"}), "one head of delegation")
    _rejected(staff, url, entry(3, **{"m-1-role": "head"}), "one head of delegation")
    with pytest.raises(services.Refused):
        services.enter_note_verbale(chile, members=[{"role": "head", "name": "A"}],
                                    note_verbale=None, received_on=timezone.localdate(),
                                    revision=0, by=None)  # fmt: skip
    # A State not invited: said so, nothing opened
    usa = staff.get("/staff/participation/14MSP/note-verbale/", {"state": "USA"})
    assert usa.status_code == 400 and "is not invited to this meeting" in usa.content.decode()
    with pytest.raises(services.Refused):
        services.invitation_of_state(meeting, "USA")
    # Forged ids: an unknown State, an unknown invitation, another meeting's meeting code
    choose = "/staff/participation/14MSP/note-verbale/"
    assert staff.get(choose, {"state": "ZZZ"}).status_code == 400
    assert staff.get("/staff/participation/99MSP/note-verbale/").status_code == 404
    assert staff.post("/staff/participation/invitation/999999/note-verbale/",
                      entry()).status_code == 404  # fmt: skip
    assert staff.get("/staff/participation/invitation/x/note-verbale/").status_code == 404
    # A withdrawn invitation
    services.revoke(chile, by=None)
    _rejected(staff, url, entry(), "This invitation was withdrawn.")
    withdrawn = staff.get("/staff/participation/14MSP/note-verbale/", {"state": "CHL"})
    assert withdrawn.status_code == 400
    assert not Delegation.objects.exists()


def test_only_staff_enter_a_note_verbale(meeting: Any, personas: dict[str, Client]) -> None:
    chile = Invitation.objects.get(state_id="CHL")
    url = f"/staff/participation/invitation/{chile.pk}/note-verbale/"
    assert_matrix(personas, url, STAFF_ONLY)
    assert_matrix(personas, "/staff/participation/14MSP/note-verbale/", STAFF_ONLY)
    assert_matrix(personas, "/staff/participation/14MSP/note-verbale/?state=CHL",
                  {**STAFF_ONLY, "staff": 302})  # fmt: skip
    # POST: only staff save (302); the others are refused, a forged invitation id in the form
    # changes nothing (the invitation is the one in the address)
    assert_matrix(personas, url, {**STAFF_ONLY, "staff": 302}, method="post",
                  data=entry(invitation=str(Invitation.objects.get(state_id="PER").pk),
                             note_verbale=Rewound("nv.png", png())))  # fmt: skip
    saved = Delegation.objects.get()
    assert saved.invitation_id == chile.pk and saved.source == "note"
    # The State's own focal point account does not stand for its link either
    peru = Invitation.objects.get(state_id="PER")
    assert personas["other_focal_point"].get(
        f"/staff/participation/invitation/{peru.pk}/note-verbale/").status_code == 403  # fmt: skip
    assert State.objects.filter(iso3="CHL").exists()


def test_the_states_own_form_takes_the_same_files(meeting: Any) -> None:
    """One set of rules: the State's registration takes the note as a PDF, Word or image too,
    and a PDF still works as before."""
    chile = Invitation.objects.get(state_id="CHL")
    browser = Client()
    browser.post(f"/register/{services.link_token(chile)}/")
    sent = browser.post("/register/", {**entry(2), "note_verbale": SimpleUploadedFile(
        "nv.pdf", TINY_PDF, content_type="application/pdf")})  # fmt: skip
    assert sent.status_code == 302
    found = Delegation.objects.get()
    assert (found.source, found.note_received_on) == ("link", None)
    assert found.note_verbale.name.endswith(".pdf")
