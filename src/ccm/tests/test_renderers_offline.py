"""No document builder reaches the network from a meeting's logo (issue #32): hostile SVGs are
stored as the Presidency's national logo, the sanitiser is switched off so that WeasyPrint is
given them as they are, and the badges, the list of participants and the invitation letters are
made; a local listener hears nothing. (The meetings app's own documents are tried in
meetings/tests/test_logo_security.py, every page-level way of naming a URL in
core/tests/test_pdf_offline.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from ccm.core.testing.listener import listening
from ccm.core.tests.test_pdf_offline import hostile_svgs
from ccm.meetings import logo
from ccm.meetings.models import Presidency
from ccm.meetings.selectors import logo_uri
from ccm.meetings.tests.test_logo_security import unchecked
from ccm.participation import letters, outputs
from ccm.participation.models import Invitation
from ccm.participation.tests.test_outputs import registered  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def test_badges_lists_and_invitations_fetch_nothing_a_logo_names(
    registered: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The sanitiser would refuse these logos and leave them out: off, the fetcher is tried.
    monkeypatch.setattr(logo, "sanitised", unchecked)
    monkeypatch.setattr(logo, "check_svg", lambda data: data.decode())
    presidency = Presidency.objects.create(meeting=registered, state_id="DEU", source="test")
    invitation = Invitation.objects.get(state_id="CHL")
    with listening() as listener:
        for n, svg in enumerate(hostile_svgs(listener.url)):
            presidency.national_logo.save(f"hostile{n}.svg", ContentFile(svg.encode()))
            assert logo_uri(registered, ["en"])  # the hostile logo is in the documents
            assert outputs.badges_pdf(registered, base_url="http://testserver").startswith(b"%PDF")
            assert outputs.list_pdf(registered, final=False, language="en").startswith(b"%PDF")
            _subject, _body, pdf = letters.invitation_email(invitation, "http://testserver/r/x/")
            assert pdf.startswith(b"%PDF")
    assert listener.paths == []
