"""Account changes: invitations and roles. Atomic, audited, mail sent on commit."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ccm.accounts.models import Profile, Role
from ccm.core import audit
from ccm.registry.models import Contact


def invitation_link(user: User) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.CCM_BASE_URL.rstrip("/") + path


@transaction.atomic
def invite_focal_point(*, contact: Contact, by: AbstractBaseUser) -> User:
    """Give a contact an account scoped to its State and e-mail them a link to set a password
    (then an authenticator app). Inviting twice re-sends the link; it never widens a role."""
    if not contact.email:
        raise ValidationError(_("This contact has no e-mail address."))
    email = contact.email.lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(username=email, email=email)
        user.set_unusable_password()
        user.save()
        profile = Profile.objects.create(
            user=user, role=Role.FOCAL_POINT, language=contact.language
        )
    else:
        profile, _created = Profile.objects.get_or_create(
            user=user, defaults={"role": Role.FOCAL_POINT, "language": contact.language}
        )
        if profile.role != Role.FOCAL_POINT:
            raise ValidationError(
                _("%(email)s already has an account with another role.") % {"email": email}
            )
    profile.states.add(contact.state)
    if contact.user_id != user.pk:
        contact.user = user
        contact.save(update_fields=["user"])
    audit.record(
        "account.invited" if created else "account.invitation_resent",
        by=by,
        obj=user,
        summary=f"{email} invited as focal point of {contact.state_id}",
        after={
            "role": profile.role,
            "states": sorted(profile.states.values_list("iso3", flat=True)),
        },
    )
    link = invitation_link(user)
    with translation.override(contact.language):
        subject = _("Your account for the Convention on Cluster Munitions")
        body = render_to_string(
            "accounts/email/invitation.txt",
            {"contact": contact, "link": link, "state": contact.state},
        )
    transaction.on_commit(
        lambda: send_mail(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
    )
    return user
