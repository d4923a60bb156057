"""The meeting logo page (issue #26): the Presidency and the ISU see the standard logo and
download it (SVG, PNG, PDF) before any national logo is uploaded, upload the national logo
(checked: an unsafe SVG is refused) and preview the logo in English, French and Spanish. The
permission matrix with forged codes; another Presidency is refused."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.core.testing.queries import queries
from ccm.meetings import services
from ccm.meetings.models import Meeting, Presidency
from ccm.meetings.tests.test_logo import FLAG

pytestmark = pytest.mark.django_db
OWN: dict[str, int | str] = {
    "anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 200,
    "staff": 200,
}  # fmt: skip
NOT_OWN: dict[str, int | str] = {**OWN, "presidency": 403}


@pytest.fixture
def meetings(registry_reference: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    services.load_meetings()


def svg(content: bytes = FLAG, name: str = "lao.svg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/svg+xml")


def test_the_standard_logo_answers_before_any_national_logo(meetings: None) -> None:
    assert not Presidency.objects.get(meeting__code="3RC").national_logo
    public = Client()
    body = public.get("/meetings/3RC/logo.svg").content.decode()
    assert 'class="mark"' in body and 'class="national"' not in body
    assert "3rd Review Conference" in body
    png = public.get("/meetings/3RC/logo.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    pdf = public.get("/meetings/3RC/logo.pdf?lang=fr")
    assert pdf.status_code == 200
    assert "3e Conférence d'examen" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


def test_the_logo_page_shows_previews_and_downloads_in_three_languages(
    personas: dict[str, Client], meetings: None
) -> None:
    page = personas["presidency"].get("/staff/meetings/3RC/logo/").content.decode()
    assert 'data-national="no"' in page and "standard logo" in page
    for language in ("en", "fr", "es"):
        assert f'data-language="{language}"' in page
        for fmt in ("svg", "png", "pdf"):
            assert f"/meetings/3RC/logo.{fmt}?lang={language}" in page
    assert "Upload the national logo" in page
    assert queries(personas["presidency"], "/staff/meetings/3RC/logo/") <= 12
    french = personas["presidency"].get("/fr/staff/meetings/3RC/logo/").content.decode()
    assert "Logo" in french and 'lang="fr"' in french
    desk = personas["presidency"].get("/staff/meetings/3RC/desk/").content.decode()
    assert "/staff/meetings/3RC/logo/" in desk
    staff_page = personas["staff"].get("/staff/meetings/3RC/").content.decode()
    assert "/staff/meetings/3RC/logo/" in staff_page


def test_the_presidency_uploads_its_national_logo_and_the_logo_holds_it(
    personas: dict[str, Client], meetings: None
) -> None:
    presidency = Presidency.objects.get(meeting__code="3RC")
    response = personas["presidency"].post(
        "/staff/meetings/3RC/logo/", {"revision": presidency.revision, "national_logo": svg()}
    )
    assert response.status_code == 302
    presidency.refresh_from_db()
    assert presidency.national_logo and presidency.revision == 2
    page = personas["presidency"].get("/staff/meetings/3RC/logo/").content.decode()
    assert 'data-national="yes"' in page
    body = Client().get("/meetings/3RC/logo.svg").content.decode()
    assert 'class="national"' in body and "National logo" in body
    assert Client().get("/meetings/3RC/logo.pdf").status_code == 200
    # what the letterhead said is kept: the upload changes the logo only
    assert presidency.address == "" and presidency.state_id == "LAO"


@pytest.mark.parametrize(
    ("upload", "status", "said"),
    [
        (svg(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 400,
         "This logo is refused"),
        (svg(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 400,
         "This logo is refused"),
        (svg(b"GIF89a", "lao.gif"), 400, "This logo is refused"),
        (None, 400, "Choose the logo to upload"),
    ],
)  # fmt: skip
def test_an_unsafe_or_missing_logo_is_refused_and_nothing_stored(
    personas: dict[str, Client], meetings: None, upload: Any, status: int, said: str
) -> None:
    data: dict[str, Any] = {"revision": 1}
    if upload is not None:
        data["national_logo"] = upload
    response = personas["presidency"].post("/staff/meetings/3RC/logo/", data)
    assert response.status_code == status
    assert said in response.content.decode()
    presidency = Presidency.objects.get(meeting__code="3RC")
    assert not presidency.national_logo and presidency.revision == 1


def test_an_upload_from_an_older_copy_is_refused(
    personas: dict[str, Client], meetings: None
) -> None:
    ok = personas["staff"].post("/staff/meetings/3RC/logo/", {"revision": 1,
                                                               "national_logo": svg()})  # fmt: skip
    assert ok.status_code == 302
    stored = Presidency.objects.get(meeting__code="3RC").national_logo.name
    stale = personas["presidency"].post("/staff/meetings/3RC/logo/", {"revision": 1,
                                        "national_logo": svg(name="other.svg")})  # fmt: skip
    assert stale.status_code == 409
    assert Presidency.objects.get(meeting__code="3RC").national_logo.name == stored


def test_logo_page_permission_matrix_with_forged_codes(
    personas: dict[str, Client], meetings: None
) -> None:
    assert_matrix(personas, "/staff/meetings/3RC/logo/", OWN)
    assert_matrix(personas, "/staff/meetings/7MSP/logo/", NOT_OWN)  # Germany's Presidency
    for persona in ("presidency", "staff"):
        assert personas[persona].get("/staff/meetings/99MSP/logo/").status_code == 404
    # upload: another Presidency's Meeting is refused, whatever revision it forges
    seventh = Presidency.objects.get(meeting__code="7MSP")
    posted = {"revision": seventh.revision, "national_logo": svg()}
    assert personas["presidency"].post("/staff/meetings/7MSP/logo/", posted).status_code == 403
    for persona in ("anonymous", "focal_point", "other_focal_point"):
        got = personas[persona].post("/staff/meetings/3RC/logo/",
                                     {"revision": 1, "national_logo": svg()})  # fmt: skip
        assert got.status_code in (302, 403), persona
    assert not Presidency.objects.filter(national_logo__gt="").exists()
    # a meeting no Presidency owns: staff see the standard logo; nobody uploads to it
    Meeting.objects.create(code="REG-X-2027", kind="REG", name="A seminar", source="test")
    page = personas["staff"].get("/staff/meetings/REG-X-2027/logo/").content.decode()
    assert 'id="logo-no-presidency"' in page
    assert personas["presidency"].get("/staff/meetings/REG-X-2027/logo/").status_code == 403
    posted = {"revision": 0, "national_logo": svg()}
    assert personas["staff"].post("/staff/meetings/REG-X-2027/logo/", posted).status_code == 403


def test_a_presidency_sees_its_logo_from_its_home_page(
    personas: dict[str, Client], meetings: None
) -> None:
    home = personas["presidency"].get("/my/").content.decode()
    assert "/staff/meetings/3RC/logo/" in home and "/staff/meetings/3RC/desk/" in home
    staff_home = personas["staff"].get("/my/").content.decode()
    assert "/staff/meetings/" in staff_home
    assert "/staff/meetings/" not in personas["focal_point"].get("/my/").content.decode()
