"""What a security review found in accounts (issue #7, items 1 and 3), each with its fix."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client

from ccm.accounts import roles, services
from ccm.accounts.models import Role
from ccm.accounts.tests.factories import assert_two_factor_required, make_user
from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.core.testing.totp import current_code
from ccm.registry.tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_focal_point_cannot_add_or_change_their_email_address(chile, peru) -> None:  # type: ignore[no-untyped-def]
    focal = make_user(Role.FOCAL_POINT, "CHL")
    client = signed_in(focal)
    page = client.get("/accounts/email/")
    assert page.status_code == 200
    assert "Only the Implementation Support Unit changes the address" in page.content.decode()
    response = client.post("/accounts/email/", {"action_add": "", "email": "fp@minrel.gob.pe"})
    assert response.status_code == 403
    assert not EmailAddress.objects.filter(email="fp@minrel.gob.pe").exists()
    focal.refresh_from_db()
    assert focal.email != "fp@minrel.gob.pe"


@pytest.mark.parametrize("url", ["/accounts/email/", "/accounts/2fa/totp/deactivate/"])
def test_the_address_and_two_factor_pages_explain_and_refuse_changes_to_everyone(
    url: str, personas: dict[str, Client]
) -> None:
    signed_in_all = {p: 200 for p in ("other_focal_point", "focal_point", "presidency", "staff")}
    assert_matrix(personas, url, {"anonymous": LOGIN, **signed_in_all})
    refused = {p: 403 for p in signed_in_all}
    data = {"action_remove": "", "email": "ana@minrel.cl"}
    assert_matrix(personas, url, {"anonymous": LOGIN, **refused}, method="post", data=data)


def test_nobody_switches_two_factor_off_from_the_site(db) -> None:  # type: ignore[no-untyped-def]
    for role in (Role.FOCAL_POINT, Role.ISU_STAFF):
        user = make_user(role)
        response = signed_in(user).post("/accounts/2fa/totp/deactivate/", {})
        assert response.status_code == 403
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_an_invitation_never_binds_to_an_account_that_claims_the_address(
    chile, peru, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The attack: Chile's focal point puts a Peruvian contact's address on their own account,
    then staff invite that contact. The account must not gain Peru."""
    staff = make_user(Role.ISU_STAFF)
    chilean = factories.ContactFactory(state=chile, email="ana@minrel.cl")
    with django_capture_on_commit_callbacks(execute=True):
        attacker = services.invite_focal_point(contact=chilean, by=staff)
    attacker.email = "fp@minrel.gob.pe"  # what /accounts/email/ allowed before
    attacker.save()
    peruvian = factories.ContactFactory(state=peru, email="FP@minrel.gob.pe")
    with pytest.raises(services.InvitationRefused, match="no invitation for a contact created"):
        services.invite_focal_point(contact=peruvian, by=staff)
    assert roles.state_ids_of(User.objects.get(pk=attacker.pk)) == {"CHL"}
    peruvian.refresh_from_db()
    assert peruvian.user is None


def test_a_reinvited_contact_keeps_its_own_account(
    chile, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    staff = make_user(Role.ISU_STAFF)
    contact = factories.ContactFactory(state=chile, email="ana@minrel.cl")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invite_focal_point(contact=contact, by=staff)
        again = services.invite_focal_point(contact=contact, by=staff)
    assert first.pk == again.pk
    assert len(mail.outbox) == 2


def test_without_two_factor_no_role_sees_contacts_on_a_state_page(chile) -> None:  # type: ignore[no-untyped-def]
    factories.ContactFactory(state=chile, name="Chilean Contact", email="c@minrel.cl")
    for role, states in ((Role.ISU_STAFF, ()), (Role.PRESIDENCY, ()), (Role.FOCAL_POINT, ("CHL",))):
        without = signed_in(make_user(role, *states, two_factor=False))
        html = without.get("/states/CHL/").content.decode()
        assert "Chilean Contact" not in html and "c@minrel.cl" not in html, role
        with_app = signed_in(make_user(role, *states))
        assert "Chilean Contact" in with_app.get("/states/CHL/").content.decode(), role


@pytest.mark.parametrize(
    "url",
    [
        "/my/",
        "/my/contacts/",
        "/states/CHL/",
        "/staff/reporting/letters/",
        "/admin/",
        "/admin/auth/user/",
        "/",
        "/es/my/",
        "/fr/states/CHL/",
    ],
)
def test_pages_with_personal_data_require_two_factor_for_every_role(url: str, chile) -> None:  # type: ignore[no-untyped-def]
    assert_two_factor_required(url)


def test_an_account_without_a_role_is_asked_for_two_factor_too(db) -> None:  # type: ignore[no-untyped-def]
    """Someone given `is_staff` in the admin but no profile reached the admin without a code."""
    user = factories.UserFactory(is_staff=True)
    response = signed_in(user).get("/admin/")
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_without_two_factor_a_person_can_still_set_it_up_switch_language_and_sign_out(
    db,
) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.PRESIDENCY, two_factor=False)
    client = Client()
    landed = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert landed.redirect_chain[-1][0] == "/accounts/2fa/totp/activate/?next=/my/"
    assert landed.status_code == 200
    assert client.get("/es/accounts/2fa/totp/activate/").status_code == 200
    assert client.get("/health/").status_code == 200
    switched = client.post("/i18n/setlang/", {"language": "fr", "next": "/fr/my/"})
    assert switched.status_code == 302 and switched["Location"] == "/fr/my/"
    signed_out = client.post("/accounts/logout/")
    assert signed_out.status_code == 302
    assert "/accounts/2fa/" not in signed_out["Location"]
    assert client.get("/states/").status_code == 200  # anonymous again: public pages open


def test_rate_limits_and_used_codes_live_in_a_cache_shared_by_every_process() -> None:
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    cache.set("ccm-probe", "shared")
    assert cache.get("ccm-probe") == "shared"  # the table exists (migration core 0003)


def _sign_in_with_code(user: User, code: str) -> int:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    return response.status_code


def test_the_same_two_factor_code_is_accepted_once(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ISU_STAFF, two_factor=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    code = current_code(secret)
    assert _sign_in_with_code(user, code) == 302  # signed in
    assert _sign_in_with_code(user, code) == 200  # the form again, with an error: code used


def test_a_used_code_is_recorded_in_the_database_where_every_worker_sees_it(db) -> None:  # type: ignore[no-untyped-def]
    """Under gunicorn each worker had its own memory cache, so each accepted the code once."""
    user = make_user(Role.ISU_STAFF, two_factor=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    code = current_code(secret)
    assert _sign_in_with_code(user, code) == 302
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM ccm_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any(f"allauth.mfa.totp.used?user={user.pk}&code={code}" in key for key in keys)


def test_wrong_two_factor_codes_are_stopped_after_five_even_from_another_browser(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ISU_STAFF, two_factor=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    for _i in range(5):
        assert _sign_in_with_code(user, "000000") == 200
    # The sixth attempt, right code and a fresh session, is refused before the code is checked.
    code = current_code(secret)
    assert code != "000000"
    assert _sign_in_with_code(user, code) == 200


def test_wrong_passwords_are_stopped_after_five_attempts(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ISU_STAFF)
    for i in range(30):
        Client().post("/accounts/login/", {"login": user.email, "password": f"wrong {i}"})
    checked = AuditEvent.objects.filter(verb="auth.login_failed").count()
    assert checked == 5  # the other 25 were refused before any password was checked


def test_staff_cannot_read_or_edit_authenticator_secrets_in_the_admin(db) -> None:  # type: ignore[no-untyped-def]
    staff = signed_in(make_user(Role.ISU_STAFF))
    assert staff.get("/admin/mfa/authenticator/").status_code == 404
    assert "mfa/authenticator" not in staff.get("/admin/").content.decode()


def test_staff_reset_a_persons_two_factor_and_it_is_audited(chile) -> None:  # type: ignore[no-untyped-def]
    staff_user = make_user(Role.ISU_STAFF)
    focal = make_user(Role.FOCAL_POINT, "CHL")
    response = signed_in(staff_user).post(
        "/admin/accounts/profile/",
        {"action": "reset_two_factor", "_selected_action": [focal.profile.pk]},
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=focal).exists()
    event = AuditEvent.objects.get(verb="account.two_factor_reset")
    assert event.actor == staff_user and event.object_id == str(focal.pk)


def test_accepting_an_invitation_verifies_the_address_and_leads_to_two_factor(
    chile, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    staff = make_user(Role.ISU_STAFF)
    contact = factories.ContactFactory(state=chile, email="ana@minrel.cl", language="es")
    with django_capture_on_commit_callbacks(execute=True):
        user = services.invite_focal_point(contact=contact, by=staff)
    link = re.search(r"http://\S+", str(mail.outbox[0].body)).group(0)  # type: ignore[union-attr]
    client = Client()
    form = client.get(link.replace(settings.CCM_BASE_URL, ""), follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"password1": "a long new pass phrase 2026", "password2": "a long new pass phrase 2026"},
    )
    assert EmailAddress.objects.get(user=user).verified
    # Signed in at once, and on to the authenticator set-up, which now accepts the address.
    assert client.get("/my/")["Location"].startswith("/accounts/2fa/totp/activate/")
    setup = client.get("/accounts/2fa/totp/activate/")
    assert setup.status_code == 200, response
    assert "verified your email" not in setup.content.decode()


def test_allauth_mails_name_the_site_not_the_host(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.FOCAL_POINT)
    Client().post("/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    assert "Convention on Cluster Munitions" in body
    assert "testserver" not in body.split("http://testserver")[0]
