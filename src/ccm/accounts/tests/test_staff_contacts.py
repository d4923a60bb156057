"""The ISU's contact pages (issue #26, item 2): list and filter, add with a plain State select,
correct (a stale copy is refused), deactivate (never delete), invite, import a file (all rows or
nothing), and the States Parties without an address, from the rule the invitations follow. The
permission matrix of every page, with forged ids in URLs and form data."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ccm.accounts import roles, services
from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.core.testing.queries import assert_queries_do_not_grow
from ccm.registry import services as registry
from ccm.registry.models import Contact, State
from ccm.registry.selectors import state_ids_with_address, states_parties_without_address
from ccm.registry.tests import factories

pytestmark = pytest.mark.django_db
STAFF_ONLY: dict[str, int | str] = {
    "anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 403,
    "staff": 200,
}  # fmt: skip
BASE = "/staff/contacts/"


def contact(state: State, **kw: Any) -> Contact:
    values = {"name": "Ana Pérez", "role": "national_focal_point", "email": "ana@minrel.cl"}
    return factories.ContactFactory(state=state, **{**values, **kw})


def form(state: str = "CHL", **kw: Any) -> dict[str, Any]:
    return {"state": state, "name": "Luis Soto", "role": "permanent_mission",
            "email": "luis@mission.example", "title": "", "organisation": "", "phone": "",
            "language": "", "notes": "", **kw}  # fmt: skip


# Who may open what ---------------------------------------------------------------------------


def test_every_page_is_for_staff_only(chile: Any, personas: dict[str, Client]) -> None:
    c = contact(chile)
    for url in (
        BASE, f"{BASE}add/", f"{BASE}{c.pk}/", f"{BASE}import/", f"{BASE}import/template.csv",
        f"{BASE}import/template.xlsx", f"{BASE}without-address/", f"/es{BASE}",
    ):  # fmt: skip
        assert_matrix(personas, url, STAFF_ONLY)


def test_actions_are_for_staff_only_and_forged_ids_are_not_found(
    chile: Any, personas: dict[str, Client]
) -> None:
    c = contact(chile)
    refused = {**STAFF_ONLY, "staff": 404}
    for action in ("deactivate", "reactivate", "invite"):
        assert_matrix(personas, f"{BASE}999999/{action}/", refused, method="post")
        # a GET changes nothing
        assert personas["staff"].get(f"{BASE}{c.pk}/{action}/").status_code == 405
    assert_matrix(personas, f"{BASE}999999/", {**STAFF_ONLY, "staff": 404})
    assert personas["staff"].get(f"{BASE}import/template.pdf").status_code == 404
    # The others' POSTs wrote nothing
    for name in ("anonymous", "other_focal_point", "focal_point", "presidency"):
        personas[name].post(f"{BASE}{c.pk}/deactivate/")
        personas[name].post(f"{BASE}add/", form())
        personas[name].post(f"{BASE}{c.pk}/", form(revision=0))
    c.refresh_from_db()
    assert c.active and c.name == "Ana Pérez" and not Contact.objects.filter(name="Luis Soto")
    assert not mail.outbox


def test_the_presidency_still_reads_contacts_on_its_page(
    chile: Any, personas: dict[str, Client]
) -> None:
    contact(chile)
    page = personas["presidency"].get("/my/contacts/")
    assert page.status_code == 200 and "Ana Pérez" in page.content.decode()
    assert BASE not in page.content.decode()  # the staff pages are not offered to it
    assert BASE in personas["staff"].get("/my/contacts/").content.decode()


# The list ------------------------------------------------------------------------------------


def test_the_list_filters_by_state_role_active_address_and_language(
    chile: Any, peru: Any, personas: dict[str, Client]
) -> None:
    contact(chile, language="es")
    contact(chile, name="Sin Correo", email="", role="victim_assistance", language="en")
    contact(peru, name="Rosa Díaz", email="rosa@rree.pe", language="es")
    old = contact(peru, name="Antiguo", email="old@rree.pe", language="es")
    registry.set_contact_active(old, active=False, by=make_user(Role.ISU_STAFF))
    staff = personas["staff"]

    def names(query: str) -> set[str]:
        page = staff.get(f"{BASE}?{query}")
        assert page.status_code == 200
        return {n for n in ("Ana Pérez", "Sin Correo", "Rosa Díaz", "Antiguo")
                if n in page.content.decode()}  # fmt: skip

    assert names("") == {"Ana Pérez", "Sin Correo", "Rosa Díaz"}  # active by default
    assert names("active=") == {"Ana Pérez", "Sin Correo", "Rosa Díaz", "Antiguo"}
    assert names("active=no") == {"Antiguo"}
    assert names("state=PER") == {"Rosa Díaz"}
    assert names("role=victim_assistance") == {"Sin Correo"}
    assert names("has_email=no") == {"Sin Correo"}
    assert names("has_email=yes&state=CHL") == {"Ana Pérez"}
    assert names("language=en") == {"Sin Correo"}
    html = staff.get(BASE).content.decode()
    # A plain <select> of States, no autocomplete widget
    assert '<select name="state"' in html and 'value="CHL"' in html
    assert "autocomplete" not in html.split('<select name="state"')[1].split("</select>")[0]
    # A forged State or role in the filter: refused, nothing listed
    assert staff.get(f"{BASE}?state=ZZZ").status_code == 400
    assert staff.get(f"{BASE}?role=king").status_code == 400


def test_the_list_costs_the_same_queries_whatever_the_number_of_contacts(
    chile: Any, personas: dict[str, Client]
) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            state = factories.StateFactory()
            factories.ContactFactory(state=state, name="X", role="permanent_mission",
                                     email=f"m@{state.iso3.lower()}.example")  # fmt: skip

    assert_queries_do_not_grow(personas["staff"], BASE, add, most=12)


def test_the_list_of_states_without_an_address_costs_the_same_queries(
    chile: Any, personas: dict[str, Client]
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            state = factories.StateFactory()
            factories.TreatyActionFactory(state=state, kind="ratification")
            factories.ContactFactory(state=state, name=f"P{i}", role="victim_assistance")

    assert_queries_do_not_grow(personas["staff"], f"{BASE}without-address/", add, most=14)


# Adding and correcting -----------------------------------------------------------------------


def test_staff_add_a_contact_with_the_state_select(chile: Any, personas: dict[str, Client]) -> None:
    page = personas["staff"].get(f"{BASE}add/?state=chl&role=permanent_mission")
    html = page.content.decode()
    assert '<option value="CHL" selected>' in html
    assert '<option value="permanent_mission" selected>' in html
    done = personas["staff"].post(f"{BASE}add/", form(next="/staff/contacts/without-address/"))
    assert done.status_code == 302 and done["Location"] == "/staff/contacts/without-address/"
    added = Contact.objects.get(name="Luis Soto")
    assert added.state_id == "CHL" and added.language == chile.language and added.active
    assert AuditEvent.objects.filter(verb="contact.added", object_id=str(added.pk)).exists()
    # `next` elsewhere is ignored
    other = personas["staff"].post(
        f"{BASE}add/", form(email="x@mission.example", next="https://evil.example/")
    )
    assert other["Location"] == BASE


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"state": "ZZZ"}, "state"),  # a forged State
        ({"state": ""}, "state"),
        ({"name": ""}, "name"),
        ({"role": "king"}, "role"),
        ({"email": "not an address"}, "email"),
        ({"language": "de"}, "language"),
    ],
)
def test_a_bad_contact_is_refused_and_nothing_written(
    chile: Any, personas: dict[str, Client], data: dict[str, str], field: str
) -> None:
    page = personas["staff"].post(f"{BASE}add/", form(**data))
    assert page.status_code == 400
    assert field in page.context["form"].errors
    assert not Contact.objects.exists()


def test_an_address_is_unique_within_its_state_whatever_the_case(
    chile: Any, peru: Any, personas: dict[str, Client]
) -> None:
    contact(chile, email="ana@minrel.cl")
    page = personas["staff"].post(f"{BASE}add/", form(email="ANA@MinRel.cl"))
    assert page.status_code == 400 and "already has a contact" in page.content.decode()
    assert Contact.objects.count() == 1
    # The same person may act for another State
    again = personas["staff"].post(f"{BASE}add/", form("PER", email="ana@minrel.cl"))
    assert again.status_code == 302
    # Nor may an edit take another contact's address
    luis = contact(chile, name="Luis", email="luis@minrel.cl")
    page = personas["staff"].post(f"{BASE}{luis.pk}/", form(name="Luis", email="Ana@minrel.cl",
                                                             revision=luis.revision))  # fmt: skip
    assert page.status_code == 400
    luis.refresh_from_db()
    assert luis.email == "luis@minrel.cl"


def test_an_edit_from_a_stale_copy_is_refused_with_409_and_nothing_overwritten(
    chile: Any, personas: dict[str, Client]
) -> None:
    c = contact(chile)
    staff = personas["staff"]
    html = staff.get(f"{BASE}{c.pk}/").content.decode()
    assert 'name="revision" value="0"' in html and '<option value="CHL" selected>' in html
    first = staff.post(f"{BASE}{c.pk}/", form(name="Ana Pérez Soto", email=c.email, revision=0))
    assert first.status_code == 302
    stale = staff.post(f"{BASE}{c.pk}/", form(name="Ana P.", phone="+56 2", email=c.email,
                                              revision=0))  # fmt: skip
    assert stale.status_code == 409
    assert "nothing was saved" in stale.content.decode()
    assert 'value="Ana P."' in stale.content.decode()  # what was typed is kept
    c.refresh_from_db()
    assert (c.name, c.phone, c.revision) == ("Ana Pérez Soto", "", 1)
    # No revision, or a forged one, is no better
    assert staff.post(f"{BASE}{c.pk}/", form(email=c.email)).status_code == 409
    assert staff.post(f"{BASE}{c.pk}/", form(email=c.email, revision="x")).status_code == 400
    # The focal point's own correction also makes an older staff copy stale
    services.update_own_contact(c, by=make_user(Role.FOCAL_POINT, "CHL"), phone="+56 9")
    assert staff.post(f"{BASE}{c.pk}/", form(email=c.email, revision=1)).status_code == 409
    assert AuditEvent.objects.filter(verb="contact.updated").count() == 1


def test_an_invited_contact_keeps_its_state(
    chile: Any, peru: Any, personas: dict[str, Client]
) -> None:
    c = contact(chile)
    services.invite_focal_point(contact=c, by=make_user(Role.ISU_STAFF))
    c.refresh_from_db()
    page = personas["staff"].post(f"{BASE}{c.pk}/", form("PER", name=c.name, email=c.email,
                                                          revision=c.revision))  # fmt: skip
    assert page.status_code == 400 and "its State stays" in page.content.decode()
    c.refresh_from_db()
    assert c.state_id == "CHL"


# Deactivating and inviting -------------------------------------------------------------------


def test_deactivating_keeps_the_contact_and_withdraws_the_states_scope(
    chile: Any, personas: dict[str, Client]
) -> None:
    c = contact(chile)
    user = services.invite_focal_point(contact=c, by=make_user(Role.ISU_STAFF))
    assert roles.state_ids_of(user) == {"CHL"}
    done = personas["staff"].post(f"{BASE}{c.pk}/deactivate/", {"next": f"{BASE}?state=CHL"})
    assert done.status_code == 302 and done["Location"] == f"{BASE}?state=CHL"
    c.refresh_from_db()
    assert not c.active and Contact.objects.filter(pk=c.pk).exists()
    user.refresh_from_db()
    assert roles.state_ids_of(user) == set()
    assert AuditEvent.objects.filter(verb="account.state_withdrawn").exists()
    assert "CHL" not in set(state_ids_with_address())
    # Twice changes nothing; reactivating does not give the State back (an invitation does)
    personas["staff"].post(f"{BASE}{c.pk}/deactivate/")
    assert AuditEvent.objects.filter(verb="contact.deactivated").count() == 1
    personas["staff"].post(f"{BASE}{c.pk}/reactivate/")
    c.refresh_from_db()
    assert c.active and roles.state_ids_of(user) == set()


def test_an_account_for_two_contacts_of_a_state_keeps_it_while_one_is_active(
    chile: Any, personas: dict[str, Client]
) -> None:
    staff = make_user(Role.ISU_STAFF)
    first = contact(chile, role="national_focal_point")
    second = contact(chile, role="victim_assistance", email="ana.va@minrel.cl")
    user = services.invite_focal_point(contact=first, by=staff)
    second.user = user
    second.save()
    services.deactivate_contact(first, by=staff)
    assert roles.state_ids_of(user) == {"CHL"}


def test_staff_invite_from_the_list(
    chile: Any, personas: dict[str, Client], django_capture_on_commit_callbacks: Any
) -> None:
    c = contact(chile)
    html = personas["staff"].get(BASE).content.decode()
    assert f"{BASE}{c.pk}/invite/" in html
    with django_capture_on_commit_callbacks(execute=True):
        done = personas["staff"].post(f"{BASE}{c.pk}/invite/", {"next": BASE})
    assert done.status_code == 302
    assert [m.to for m in mail.outbox] == [["ana@minrel.cl"]]
    c.refresh_from_db()
    assert c.user is not None
    # No address, or inactive: refused with a message, nothing sent
    bare = contact(chile, name="Sin Correo", email="")
    page = personas["staff"].post(f"{BASE}{bare.pk}/invite/", follow=True)
    assert "has no e-mail address" in page.content.decode()
    registry.set_contact_active(c, active=False, by=make_user(Role.ISU_STAFF))
    page = personas["staff"].post(f"{BASE}{c.pk}/invite/", follow=True)
    assert "inactive" in page.content.decode() and len(mail.outbox) == 1


# The import ----------------------------------------------------------------------------------

HEADER = "state,name,role,email,title,organisation,phone,language,notes\n"


def upload(client: Client, name: str, data: bytes) -> Any:
    return client.post(f"{BASE}import/", {"file": SimpleUploadedFile(name, data)})


def test_a_valid_file_imports_every_row(chile: Any, peru: Any, personas: dict[str, Client]) -> None:
    data = (
        HEADER
        + "chl,Ana Pérez,national_focal_point,ana@minrel.cl,,,,es,\n"
        + "PER,Rosa Díaz,PERMANENT_MISSION,rosa@rree.pe,Counsellor,Mission,,,\n"
    ).encode()
    done = upload(personas["staff"], "contacts.csv", data)
    assert done.status_code == 302
    assert set(Contact.objects.values_list("state_id", "name", "role")) == {
        ("CHL", "Ana Pérez", "national_focal_point"), ("PER", "Rosa Díaz", "permanent_mission")
    }  # fmt: skip
    assert Contact.objects.get(name="Rosa Díaz").language == peru.language
    assert AuditEvent.objects.filter(verb="contacts.imported").count() == 1


def test_a_file_with_bad_rows_writes_nothing_and_names_each_row_column_and_why(
    chile: Any, personas: dict[str, Client]
) -> None:
    contact(chile, email="ana@minrel.cl")
    data = (
        HEADER
        + "CHL,Luis Soto,permanent_mission,luis@mission.example,,,,,\n"  # line 2: good
        + "ZZZ,Nadie,national_focal_point,n@x.example,,,,,\n"  # 3: forged State
        + "CHL,,national_focal_point,m@x.example,,,,,\n"  # 4: no name
        + "CHL,Rey,king,k@x.example,,,,,\n"  # 5: unknown role
        + "CHL,Mal,permanent_mission,not-an-address,,,,,\n"  # 6: bad address
        + "CHL,Otra,permanent_mission,ANA@minrel.cl,,,,,\n"  # 7: on record already
        + "CHL,Dos,permanent_mission,luis@mission.example,,,,,\n"  # 8: twice in the file
        + "CHL,Idioma,permanent_mission,i@x.example,,,,de,\n"  # 9: unknown language
    ).encode()
    page = upload(personas["staff"], "contacts.csv", data)
    assert page.status_code == 400
    errors = page.context["errors"]
    expected = {3: "column state", 4: "column name", 5: "column role", 6: "column email",
                7: "already on record", 8: "also on line 2", 9: "column language"}  # fmt: skip
    for line, words in expected.items():
        assert any(e.startswith(f"contacts.csv, line {line}: ") and words in e for e in errors), (
            line, errors)  # fmt: skip
    assert not any("line 2:" in e for e in errors)
    assert Contact.objects.count() == 1  # nothing written, the good row included
    assert "Nothing was imported" in page.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("contacts.xlsx", b"PK\x03\x04 not a workbook", "cannot be read"),
        ("contacts.csv", b"\xff\xfe\x00binary", "not UTF-8"),
        ("contacts.csv", b"state,name,role\nCHL,A,permanent_mission\n", "missing column(s): email"),
        ("contacts.csv", (HEADER.strip() + ",salary\n").encode(), "unknown column(s): salary"),
        ("contacts.csv", HEADER.encode(), "holds no rows"),
        (
            "contacts.csv",
            (HEADER + 'CHL,"A\nB",permanent_mission,a@x.example\n').encode(),
            "cannot be read",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused(
    chile: Any, personas: dict[str, Client], name: str, data: bytes, why: str
) -> None:
    page = upload(personas["staff"], name, data)
    assert page.status_code == 400
    assert any(why in e for e in page.context["errors"]), page.context["errors"]
    assert not Contact.objects.exists()


def test_a_file_of_another_type_or_too_large_is_refused(
    chile: Any, personas: dict[str, Client], settings: Any
) -> None:
    page = upload(personas["staff"], "contacts.pdf", b"%PDF-1.4")
    assert page.status_code == 400 and "CSV or XLSX" in page.content.decode()
    settings.CCM_IMPORT_MAX_MB = 0
    page = upload(personas["staff"], "contacts.csv", HEADER.encode())
    assert page.status_code == 400 and "larger than" in page.content.decode()


def test_the_templates_hold_the_columns_and_the_xlsx_one_imports(
    chile: Any, personas: dict[str, Client]
) -> None:
    from openpyxl import load_workbook

    csv_file = personas["staff"].get(f"{BASE}import/template.csv")
    assert csv_file.content.decode().strip() == HEADER.strip()
    assert "attachment" in csv_file["Content-Disposition"]
    xlsx = personas["staff"].get(f"{BASE}import/template.xlsx").content
    book = load_workbook(io.BytesIO(xlsx))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER.strip().split(",")
    sheet.append(["CHL", "Ana Pérez", "national_focal_point", "ana@minrel.cl"])
    out = io.BytesIO()
    book.save(out)
    assert upload(personas["staff"], "filled.xlsx", out.getvalue()).status_code == 302
    assert Contact.objects.get().name == "Ana Pérez"


# Without an address --------------------------------------------------------------------------


def test_states_parties_without_an_address_with_a_link_to_add_one(
    chile: Any, peru: Any, personas: dict[str, Client]
) -> None:
    signatory = factories.StateFactory(iso3="XSG", name_en="Signatoria")
    factories.TreatyActionFactory(state=signatory)  # signed only: not a State Party
    contact(chile)  # Chile has a focal point with an address
    contact(peru, name="Sin Correo", email="", role="national_focal_point")
    contact(peru, name="Víctimas", email="va@peru.example", role="victim_assistance")
    today = timezone.localdate()
    assert [s.iso3 for s in states_parties_without_address(today)] == ["PER"]
    html = personas["staff"].get(f"{BASE}without-address/").content.decode()
    assert "Peru" in html and "Signatoria" not in html
    assert f"{BASE}add/?state=PER" in html
    assert "Sin Correo" in html and "no e-mail" in html  # the contact that could be given one
    # Giving Peru's mission an address takes it off the list
    personas["staff"].post(f"{BASE}add/", form("PER", email="mission@peru.example"))
    assert states_parties_without_address(today) == []


def test_a_change_in_the_admin_also_makes_an_older_staff_copy_stale(
    chile: Any, personas: dict[str, Client]
) -> None:
    c = contact(chile)
    changed = personas["staff"].post(
        f"/admin/registry/contact/{c.pk}/change/",
        {"state": "CHL", "name": "Ana María Pérez", "role": c.role, "email": c.email,
         "language": "es", "active": "on"},
    )  # fmt: skip
    assert changed.status_code == 302
    c.refresh_from_db()
    assert (c.name, c.revision) == ("Ana María Pérez", 1)
    stale = personas["staff"].post(f"{BASE}{c.pk}/", form(email=c.email, revision=0))
    assert stale.status_code == 409
