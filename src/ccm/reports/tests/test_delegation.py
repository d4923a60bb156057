"""A focal point asks a colleague to fill one form (issue #10): a personal link by e-mail, bound
to the colleague's address, expiring, revocable; the colleague signs in with two-factor and sees
and saves that form alone. Forged, expired, revoked and reused links are refused clearly."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.reports import services
from ccm.reports.models import Draft, FormDelegation, Report

pytestmark = pytest.mark.django_db
COLLEAGUE = "colleague@defensa.example"


@pytest.fixture
def report(chile: Any) -> Report:
    return services.start_report(
        state=chile, kind="annual", period=2024, by=make_user(Role.FOCAL_POINT, "CHL")
    )


def colleague_client(email: str = COLLEAGUE, *, two_factor: bool = True) -> Client:
    """The colleague's account as the invitation leaves it: the address verified once the
    password is set (accounts.accept_invitation), an authenticator set up."""
    user = (
        User.objects.get(email=email)
        if User.objects.filter(email=email).exists()
        else (User.objects.create_user(username=email, email=email))
    )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if two_factor:
        Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                            defaults={"data": {"secret": "x"}})  # fmt: skip
    client = Client()
    client.force_login(user)
    return client


def link_in(message: Any) -> str:
    return re.search(r"http://[^\s]+/my/reports/delegation/[^\s]+/", message.body).group(0)


def test_the_colleague_sees_and_saves_that_form_alone(
    personas: dict[str, Client], report: Report
) -> None:
    response = personas["focal_point"].post(
        f"/my/reports/report/{report.pk}/delegate/", {"email": COLLEAGUE.upper(), "form": "F"},
        follow=True,
    )  # fmt: skip
    assert f"{COLLEAGUE} was sent a personal link to fill form F." in response.content.decode()
    (sent,) = mail.outbox
    assert sent.to == [COLLEAGUE] and "F: Contaminated areas and clearance" in sent.body
    assert "/accounts/password/reset/key/" in sent.body  # a new account: its password first
    link = link_in(sent).removeprefix("http://127.0.0.1:8000")
    colleague = colleague_client()
    opened = colleague.get(link)
    assert (
        opened.status_code == 302
        and opened["Location"] == f"/my/reports/report/{report.pk}/form/F/"
    )
    page = colleague.get(opened["Location"]).content.decode()
    assert 'id="colleague-note"' in page and f"/my/reports/report/{report.pk}/form/B/" not in page
    saved = colleague.post(opened["Location"], {"revision": "", "status": "changed",
                                                "contaminated-rows": "1",
                                                "contaminated-0-location": "Village of Example",
                                                "contaminated-0-area_m2": "125000"})  # fmt: skip
    assert saved.status_code == 200
    assert Draft.objects.get(report=report, form="F").values["contaminated"][0]["area_m2"] == 125000
    for other in (f"/my/reports/report/{report.pk}/", f"/my/reports/report/{report.pk}/form/B/",
                  "/my/reports/CHL/", f"/my/reports/report/{report.pk}/workbook/"):  # fmt: skip
        assert colleague.get(other).status_code == 404, other
    assert colleague.post(f"/my/reports/report/{report.pk}/submit/").status_code == 404
    assert (
        colleague.post(f"/my/reports/report/{report.pk}/form/B/", {"revision": ""}).status_code
        == 404
    )
    home = colleague.get("/my/reports/").content.decode()
    assert f'href="/my/reports/report/{report.pk}/form/F/"' in home
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"delegation.created", "delegation.accepted", "account.created_for_colleague"} <= verbs


def test_forged_expired_revoked_and_reused_links_are_refused(
    personas: dict[str, Client], report: Report
) -> None:
    by = make_user(Role.FOCAL_POINT, "CHL")
    delegation = services.delegate_form(report, form="G", email=COLLEAGUE, by=by)
    link = f"/my/reports/delegation/{services.delegation_token(delegation)}/"
    form_g = f"/my/reports/report/{report.pk}/form/G/"
    # Another person's account, even a focal point of this State: not their address.
    other = personas["other_focal_point"].get(link)
    assert other.status_code == 403 and f"sent to {COLLEAGUE}" in other.content.decode()
    forged = colleague_client().get(link.replace("/delegation/", "/delegation/x"))
    assert forged.status_code == 403 and "not valid" in forged.content.decode()
    # The payload changed (another delegation, another address), the signature kept.
    _payload, stamp, signature = services.delegation_token(delegation).split(":")
    other_payload = signing.b64_encode(b'{"d":1,"e":"me@x.example"}').decode()
    tampered = f"{other_payload}:{stamp}:{signature}"
    assert colleague_client().get(f"/my/reports/delegation/{tampered}/").status_code == 403
    # Used once by the colleague; a link taken by another account opens for no one else.
    assert colleague_client().get(link).status_code == 302
    twin = User.objects.create_user(username="twin", email="twin@x.example")
    FormDelegation.objects.filter(pk=delegation.pk).update(accepted_by=twin)
    reused = colleague_client().get(link)
    assert reused.status_code == 403
    assert "already used by another account" in reused.content.decode()
    assert colleague_client().get(form_g).status_code == 404
    FormDelegation.objects.filter(pk=delegation.pk).update(
        accepted_by=User.objects.get(email=COLLEAGUE)
    )
    assert colleague_client().get(form_g).status_code == 200
    # Withdrawn: the link and the form close at once.
    personas["focal_point"].post(f"/my/reports/delegation/{delegation.pk}/revoke/")
    assert "withdrawn" in colleague_client().get(link).content.decode()
    assert colleague_client().get(form_g).status_code == 404
    # Expired.
    late = services.delegate_form(report, form="H", email=COLLEAGUE, by=by)
    FormDelegation.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(1))
    expired = colleague_client().get(f"/my/reports/delegation/{services.delegation_token(late)}/")
    assert expired.status_code == 403 and "expired" in expired.content.decode()


def test_the_colleague_needs_two_factor_first(report: Report) -> None:
    delegation = services.delegate_form(
        report, form="G", email=COLLEAGUE, by=make_user(Role.FOCAL_POINT, "CHL")
    )
    client = colleague_client(two_factor=False)
    response = client.get(f"/my/reports/delegation/{services.delegation_token(delegation)}/")
    assert response.status_code == 302 and "/accounts/2fa/totp/activate/" in response["Location"]
    assert FormDelegation.objects.get().accepted_by is None


def test_who_may_delegate_and_withdraw(personas: dict[str, Client], report: Report) -> None:
    url = f"/my/reports/report/{report.pk}/delegate/"
    assert_matrix(personas, url, {"anonymous": LOGIN, "other_focal_point": 404,
                                  "focal_point": 302, "presidency": 404, "staff": 302},
                  method="post", data={"email": COLLEAGUE, "form": "G"})  # fmt: skip
    assert FormDelegation.objects.count() == 2  # the focal point's and the ISU's
    personas["focal_point"].post(url, {"email": "not an address", "form": "G"})
    personas["focal_point"].post(url, {"email": COLLEAGUE, "form": "Z"})
    assert FormDelegation.objects.count() == 2
    delegation = FormDelegation.objects.first()
    revoke = f"/my/reports/delegation/{delegation.pk}/revoke/"
    assert_matrix(personas, revoke, {"anonymous": LOGIN, "other_focal_point": 404,
                                     "focal_point": 302, "presidency": 404, "staff": 302},
                  method="post")  # fmt: skip
    assert personas["focal_point"].post("/my/reports/delegation/999/revoke/").status_code == 404


def test_submission_ends_the_colleagues_links(
    personas: dict[str, Client], report: Report, fast_pdf: None
) -> None:
    """Found in review: a colleague could still save a form of a submitted report, leaving a
    lone draft that broke the next amendment."""
    import copy

    from ccm.reports import definition

    by = make_user(Role.FOCAL_POINT, "CHL")
    delegation = services.delegate_form(report, form="G", email=COLLEAGUE, by=by)
    colleague = colleague_client()
    link = f"/my/reports/delegation/{services.delegation_token(delegation)}/"
    assert colleague.get(link).status_code == 302
    example = definition.example_document(definition.load(services.CURRENT_TEMPLATE))
    for code, values in example["forms"].items():
        services.save_form(report, code, copy.deepcopy(values), revision=None, by=by)
    services.submit_report(report, by=by)
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert colleague.get(f"/my/reports/report/{report.pk}/form/G/").status_code == 404
    with pytest.raises(ValueError, match="amend it before"):
        services.delegate_form(report, form="G", email=COLLEAGUE, by=by)
