"""The colleague's path (issue #26): from the e-mail, through the password and the two-factor
set-up, straight to the form they were given; "I have finished", which tells the focal point
who asked, by e-mail in that focal point's language; and the focal point sees each colleague's
progress (invited, signed in, saved, finished) on the report page."""

from __future__ import annotations

import copy
import html
import re
from datetime import timedelta
from typing import Any
from unittest import mock
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.core.testing.queries import queries
from ccm.core.testing.totp import current_code
from ccm.registry.tests.factories import ContactFactory
from ccm.reports import definition, services
from ccm.reports.models import FormDelegation, Report
from ccm.reports.tests.test_delegation import COLLEAGUE, colleague_client

pytestmark = pytest.mark.django_db
PASSWORD = "a long colleague passphrase 26"


@pytest.fixture
def asker() -> User:
    return make_user(Role.FOCAL_POINT, "CHL")


@pytest.fixture
def report(chile: Any, asker: User) -> Report:
    return services.start_report(state=chile, kind="annual", period=2024, by=asker)


def _opened(report: Report, asker: User, form: str = "F") -> tuple[FormDelegation, Client]:
    delegation = services.delegate_form(report, form=form, email=COLLEAGUE, by=asker)
    client = colleague_client()
    assert client.get(f"/my/reports/delegation/{services.delegation_token(delegation)}/")[
        "Location"
    ] == (f"/my/reports/report/{report.pk}/form/{form}/")
    mail.outbox.clear()
    return delegation, client


# (a) Through the password and the two-factor set-up, straight to the form -----------------


def test_a_new_colleague_goes_from_the_email_through_two_factor_to_the_form(
    report: Report, asker: User, settings: Any
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    delegation = services.delegate_form(report, form="F", email=COLLEAGUE, by=asker)
    (sent,) = mail.outbox
    form_link = f"/my/reports/delegation/{services.delegation_token(delegation)}/"
    password = re.search(r"http://[^\s]+/accounts/password/reset/key/[^\s]+", sent.body).group(0)
    assert unquote(password).endswith(f"?next={form_link}")  # one link leads all the way
    client = Client()
    choose = client.get(password.removeprefix("http://127.0.0.1:8000"))
    assert choose.status_code == 302 and "set-password" in choose["Location"]
    page = client.get(choose["Location"])
    assert 'name="next"' in page.content.decode()  # allauth passes it through
    done = client.post(
        choose["Location"], {"password1": PASSWORD, "password2": PASSWORD, "next": form_link}
    )
    assert done.status_code == 302 and done["Location"] == form_link
    # Two-factor first (the middleware), with where the colleague was going.
    setup = client.get(form_link)
    assert setup.status_code == 302 and setup["Location"].startswith("/accounts/2fa/totp/activate/")
    activate = client.get(setup["Location"])
    assert activate.status_code == 200  # the password was just chosen: not asked for again
    text = activate.content.decode()
    assert f'name="next" value="{form_link}"' in text
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', text)
    secret = secret or re.search(r'value="([A-Z2-7]{32})"', text)
    assert secret is not None
    activated = client.post(
        "/accounts/2fa/totp/activate/", {"code": current_code(secret.group(1)), "next": form_link}
    )
    assert activated.status_code == 302
    assert activated["Location"].startswith("/accounts/2fa/recovery-codes/?next=")
    codes = client.get(activated["Location"]).content.decode()
    assert "Continue to your form" in codes and f'href="{form_link}"' in html.unescape(codes)
    assert "Continue to your page" not in codes
    opened = client.get(form_link)
    assert opened["Location"] == f"/my/reports/report/{report.pk}/form/F/"
    assert client.get(opened["Location"]).status_code == 200
    delegation.refresh_from_db()
    assert delegation.accepted_by is not None and delegation.accepted_at is not None


def test_signing_in_with_two_factor_keeps_the_link_to_the_form(report: Report, asker: User) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    delegation = services.delegate_form(report, form="G", email=COLLEAGUE, by=asker)
    form_link = f"/my/reports/delegation/{services.delegation_token(delegation)}/"
    colleague = User.objects.get(email=COLLEAGUE)
    colleague.set_password(PASSWORD)
    colleague.save()
    secret = generate_totp_secret()
    TOTP.activate(colleague, secret)
    client = Client()
    login = client.get(form_link)
    assert login.status_code == 302 and login["Location"].startswith("/accounts/login/")
    step = client.post(login["Location"], {"login": COLLEAGUE, "password": PASSWORD})
    assert step["Location"] == "/accounts/2fa/authenticate/"
    signed_in = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert signed_in["Location"] == form_link


def test_an_outside_next_is_dropped_and_the_page_falls_back(db: None) -> None:
    """The set-up keeps only pages of this site (allauth's check): no open redirect."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = make_user(Role.FOCAL_POINT, two_factor=False)
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/?next=https://evil.example/")
    assert page.status_code == 200 and 'name="next"' not in page.content.decode()
    RecoveryCodes.activate(user)
    codes = client.get("/accounts/2fa/recovery-codes/?next=https://evil.example/")
    text = codes.content.decode()
    assert codes.status_code == 200 and 'href="https://evil.example/"' not in text
    assert "Continue to your page" in text and 'href="/my/"' in text
    # A page of this site that is not a form: said as such.
    other = client.get("/accounts/2fa/recovery-codes/?next=/my/contacts/").content.decode()
    assert "Continue to the page you were opening" in other and 'href="/my/contacts/"' in other
    # Where signing in leads anyway (the workspace, the person's page): their page, as before.
    home = client.get("/accounts/2fa/recovery-codes/?next=/my/reports/").content.decode()
    assert "Continue to your page" in home and 'href="/my/"' in home


# (b) "I have finished" ------------------------------------------------------------------------


def test_the_colleague_finishes_and_the_focal_point_is_told_once(
    report: Report, asker: User
) -> None:
    delegation, client = _opened(report, asker)
    page = client.get(f"/my/reports/report/{report.pk}/form/F/").content.decode()
    assert "I have finished" in page
    client.post(f"/my/reports/report/{report.pk}/form/F/", {"revision": "", "status": "changed"})
    response = client.post(f"/my/reports/report/{report.pk}/form/F/finished/", follow=True)
    text = response.content.decode()
    assert "the focal point was told that you have finished" in text
    assert 'id="finished-note"' in text and "I have finished</button>" not in text
    (sent,) = mail.outbox
    assert sent.to == [asker.email]
    assert sent.subject.endswith(
        f"{COLLEAGUE} has finished F: Contaminated areas and clearance of the Article 7 "
        "report of Chile"
    )
    assert f"/my/reports/report/{report.pk}/" in sent.body
    delegation.refresh_from_db()
    assert delegation.finished_at is not None and delegation.saved_at is not None
    event = AuditEvent.objects.get(verb="delegation.finished")
    assert event.actor.email == COLLEAGUE
    # Again: nothing new, no second e-mail, no second audit event.
    again = services.finish_delegation(delegation, by=User.objects.get(email=COLLEAGUE))
    assert again.finished_at == delegation.finished_at
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(verb="delegation.finished").count() == 1


def _subject_in(language: str, report: Report) -> str:
    from django.utils import translation
    from django.utils.translation import gettext as _

    title = {f.code: f.title for f in definition.load(report.template).forms}["F"][language]
    with translation.override(language):
        return _("%(email)s has finished %(form)s of the Article 7 report of %(state)s") % {
            "email": COLLEAGUE, "form": f"F: {title}", "state": report.state.name,
        }  # fmt: skip


@pytest.mark.parametrize("language", ["fr", "es", "en"])
def test_the_email_is_in_the_focal_points_language(
    report: Report, asker: User, language: str
) -> None:
    """Chile works in Spanish; the focal point who asked keeps their own working language (their
    contact record): the whole message is written in it, the form's title included."""
    ContactFactory(state=report.state, email=asker.email, user=asker, language=language)
    delegation, client = _opened(report, asker)
    services.finish_delegation(delegation, by=User.objects.get(email=COLLEAGUE))
    (sent,) = mail.outbox
    assert sent.subject.endswith(_subject_in(language, report)), sent.subject
    title = {"fr": "Zones contaminées", "es": "Zonas contaminadas", "en": "Contaminated areas"}
    assert title[language] in sent.subject and title[language] in sent.body


def test_asked_by_the_isu_the_states_focal_points_are_told_in_the_states_language(
    report: Report,
) -> None:
    report.state.language = "es"  # Chile's working language
    report.state.save()
    ContactFactory(state=report.state, email="fp@chile.example")
    staff = make_user(Role.ISU_STAFF)
    delegation, _client = _opened(report, staff)
    services.finish_delegation(delegation, by=User.objects.get(email=COLLEAGUE))
    (sent,) = mail.outbox
    assert sent.to == ["fp@chile.example"] and sent.subject.endswith(_subject_in("es", report))


def test_finishing_is_refused_when_withdrawn_expired_or_submitted(
    report: Report, asker: User, personas: dict[str, Client]
) -> None:
    delegation, client = _opened(report, asker)
    colleague = User.objects.get(email=COLLEAGUE)
    services.revoke_delegation(delegation, by=asker)
    with pytest.raises(services.FinishRefused, match="withdrawn"):
        services.finish_delegation(delegation, by=colleague)
    refused = client.post(f"/my/reports/report/{report.pk}/form/F/finished/")
    assert refused.status_code == 403 and "withdrawn" in refused.content.decode()
    late, _c = _opened(report, asker, form="G")
    FormDelegation.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(1))
    with pytest.raises(services.FinishRefused, match="expired"):
        services.finish_delegation(late, by=colleague)
    # Submitted meanwhile (the submission withdraws the links too: the submission is named).
    third, _c = _opened(report, asker, form="H")
    example = definition.example_document(definition.load(services.CURRENT_TEMPLATE))
    for code, values in example["forms"].items():
        current = report.drafts.filter(form=code).first()
        services.save_form(report, code, copy.deepcopy(values),
                           revision=current.revision if current else None, by=asker)  # fmt: skip
    with mock.patch.object(services, "html_to_pdf", return_value=b"%PDF-1.7 test"):
        services.submit_report(report, by=asker)
    with pytest.raises(services.FinishRefused, match="submitted"):
        services.finish_delegation(third, by=colleague)
    assert not FormDelegation.objects.exclude(finished_at=None).exists()
    assert not [m for m in mail.outbox if "finished" in m.subject]
    # Someone else than the colleague: never, even through the service.
    with pytest.raises(PermissionError):
        services.finish_delegation(third, by=asker)


def test_who_may_say_a_form_is_finished(
    report: Report, asker: User, personas: dict[str, Client], peru: Any
) -> None:
    delegation, colleague = _opened(report, asker)
    url = f"/my/reports/report/{report.pk}/form/F/finished/"
    # Nobody but the colleague: not the focal points, the Presidency or the ISU.
    assert_matrix(personas, url, {"anonymous": LOGIN, "other_focal_point": 404,
                                  "focal_point": 404, "presidency": 404, "staff": 404},
                  method="post")  # fmt: skip
    # Forged ids: the colleague's own form of another report, another form of this report.
    other_report = services.start_report(
        state=peru, kind="annual", period=2024, by=make_user(Role.FOCAL_POINT, "PER")
    )
    forged = f"/my/reports/report/{other_report.pk}/form/F/finished/"
    assert colleague.post(forged).status_code == 404
    assert colleague.post(f"/my/reports/report/{report.pk}/form/G/finished/").status_code == 404
    assert colleague.post("/my/reports/report/99999/form/F/finished/").status_code == 404
    # A colleague of another form of the same report cannot finish this one.
    services.delegate_form(report, form="G", email="other@defensa.example", by=asker)
    other = colleague_client("other@defensa.example")
    token = services.delegation_token(FormDelegation.objects.get(email="other@defensa.example"))
    other.get(f"/my/reports/delegation/{token}/")
    assert other.post(url).status_code == 404
    assert colleague.get(url).status_code == 405
    assert FormDelegation.objects.get(pk=delegation.pk).finished_at is None
    assert colleague.post(url).status_code == 302
    assert FormDelegation.objects.get(pk=delegation.pk).finished_at is not None


# (c) The focal point sees each colleague's progress --------------------------------------------


def test_the_focal_point_sees_each_colleagues_progress(
    report: Report, asker: User, personas: dict[str, Client]
) -> None:
    invited = services.delegate_form(report, form="B", email="b@defensa.example", by=asker)
    signed, _c = _opened(report, asker, form="C")
    FormDelegation.objects.filter(pk=signed.pk).update(email="c@defensa.example")
    saver = services.delegate_form(report, form="D", email="d@defensa.example", by=asker)
    saver_client = colleague_client("d@defensa.example")
    saver_client.get(f"/my/reports/delegation/{services.delegation_token(saver)}/")
    saver_client.post(f"/my/reports/report/{report.pk}/form/D/", {"revision": ""})
    finished, fin_client = _opened(report, asker, form="F")
    fin_client.post(f"/my/reports/report/{report.pk}/form/F/finished/")
    page = personas["focal_point"].get(f"/my/reports/report/{report.pk}/").content.decode()
    section = page[page.index('id="delegations"') :]

    def row(pk: int) -> str:
        start = section.index(f'data-delegation="{pk}"')
        return section[start : section.index("</li>", start)]

    assert 'data-progress="invited"' in row(invited.pk) and "invited on" in row(invited.pk)
    assert 'data-progress="signed-in"' in row(signed.pk) and "signed in on" in row(signed.pk)
    assert 'data-progress="saved"' in row(saver.pk) and "last saved on" in row(saver.pk)
    assert 'data-progress="finished"' in row(finished.pk) and "finished on" in row(finished.pk)
    es = personas["focal_point"].get(f"/es/my/reports/report/{report.pk}/")
    assert es.status_code == 200


def test_the_report_page_reads_the_progress_in_bounded_queries(
    report: Report, asker: User, personas: dict[str, Client]
) -> None:
    url = f"/my/reports/report/{report.pk}/"
    services.delegate_form(report, form="B", email="b@defensa.example", by=asker)
    one = queries(personas["focal_point"], url)
    for n in range(5):
        services.delegate_form(report, form="C", email=f"c{n}@defensa.example", by=asker)
    assert queries(personas["focal_point"], url) == one
