"""Account changes: invitations, roles, deactivation and deletion. Atomic, audited, mail sent on
commit."""

from __future__ import annotations

from collections import Counter
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
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


class InvitationRefused(ValidationError):
    """The contact cannot be bound to an account (no address, or an address taken)."""


def _bound_account(contact: Contact, email: str) -> User | None:
    """The account this invitation binds to, or None for a new one.

    An invitation binds an account to a contact, never to whoever claims the address: the
    account is the one already bound to this contact, or to another contact with the same
    address (one person acting for two States) whose own invitation set that address. Any other
    account using the address — one whose owner typed it in, or a staff account — is refused,
    so nobody gains a State's scope by claiming its contact's address (issue #7)."""
    if contact.user_id is not None:
        bound = User.objects.get(pk=contact.user_id)
        if bound.email.lower() != email:
            raise InvitationRefused(
                _(
                    "This contact is bound to the account %(account)s, whose address differs "
                    "from the contact's (%(email)s). Check which is right before inviting."
                )
                % {"account": bound.email, "email": email}
            )
        return bound
    via_contact = (
        User.objects.filter(email__iexact=email, contacts__email__iexact=email).distinct().first()
    )
    if via_contact is not None:
        return via_contact
    other = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
    if other is not None:
        if Profile.objects.filter(user=other).exclude(role=Role.FOCAL_POINT).exists():
            raise InvitationRefused(
                _("%(email)s already has an account with another role.") % {"email": email}
            )
        raise InvitationRefused(
            _(
                "%(email)s already has an account that no invitation for a contact created. "
                "The ISU must check that account before inviting this contact."
            )
            % {"email": email}
        )
    return None


@transaction.atomic
def invite_focal_point(*, contact: Contact, by: AbstractBaseUser) -> User:
    """Give a contact an account scoped to its State and e-mail them a link to set a password
    (then an authenticator app). Inviting twice re-sends the link; it never widens a role.

    The rule (`_bound_account`): the account is the contact's own (re-invited), or the account
    an invitation for another contact with the same address created (one person for two States),
    or a new one. An account found only by its address — typed in by its owner, or a staff
    account — is refused with a message, never given the State."""
    if not contact.email:
        raise InvitationRefused(_("This contact has no e-mail address."))
    email = contact.email.lower()
    user = _bound_account(contact, email)
    created = user is None
    if user is None:
        user = User.objects.create_user(username=email, email=email)
        user.set_unusable_password()
        user.save()
        profile = Profile.objects.create(
            user=user, role=Role.FOCAL_POINT, language=contact.language or contact.state.language
        )
    else:
        profile, _created = Profile.objects.get_or_create(
            user=user,
            defaults={
                "role": Role.FOCAL_POINT,
                "language": contact.language or contact.state.language,
            },
        )
        if profile.role != Role.FOCAL_POINT:
            raise InvitationRefused(
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
    with translation.override(contact.language or contact.state.language):
        link = invitation_link(user)  # in the contact's language: /es/accounts/...
        subject = _("Your account for the Convention on Cluster Munitions")
        body = render_to_string(
            "accounts/email/invitation.txt",
            {
                "contact": contact,
                "link": link,
                "state": contact.state,
                "site_name": settings.SITE_NAME,
                "days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
                "support": settings.CCM_SUPPORT_EMAIL,
            },
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


@transaction.atomic
def reset_two_factor(user: User, *, by: AbstractBaseUser) -> int:
    """ISU staff remove a person's authenticator app and recovery codes (a lost phone): at the
    next sign-in they set up a new one. Nobody can do this to their own account from the site."""
    from allauth.mfa.models import Authenticator

    removed = list(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    Authenticator.objects.filter(user=user).delete()
    audit.record(
        "account.two_factor_reset",
        by=by,
        obj=user,
        summary=f"two-factor reset for {user.email}",
        before={"authenticators": sorted(removed)},
        after={"authenticators": []},
    )
    return len(removed)


@transaction.atomic
def accept_invitation(user: User) -> None:
    """The invitee set a password through the link e-mailed to the contact's address: that
    address is theirs, verified and primary (two-factor set-up asks for a verified address)."""
    from allauth.account.models import EmailAddress

    if not user.email:
        return
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email}
    )
    if not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
        audit.record("account.invitation_accepted", by=user, obj=user, summary=user.email)


def colleague_account(email: str, *, by: AbstractBaseUser) -> tuple[User, str]:
    """The account a focal point's colleague uses to fill the one form they were asked to
    (issue #10): the account already using this address, or a new one with no role (it sees
    nothing but what it is given), with the link to set its password ("" for an existing
    account: its owner signs in as usual). Audited."""
    email = email.strip().lower()
    user = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
    if user is not None:
        return user, ""
    user = User.objects.create_user(username=email, email=email)
    user.set_unusable_password()
    user.save()
    audit.record(
        "account.created_for_colleague", by=by, obj=user,
        summary=f"{email}: an account with no role, for a form a focal point delegated",
    )  # fmt: skip
    return user, invitation_link(user)


OWN_CONTACT_FIELDS = ("name", "title", "organisation", "phone", "language")


@transaction.atomic
def update_own_contact(contact: Contact, *, by: AbstractBaseUser, **values: Any) -> Contact:
    """A focal point corrects their own contact details (issue #9). The e-mail address stays
    the ISU's to change: it is the address the account signs in with (issue #7)."""
    unknown = set(values) - set(OWN_CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not theirs to change: {sorted(unknown)}")
    before = {f: getattr(contact, f) for f in values}
    for name, value in values.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.revision += 1  # a staff edit from an older copy is then refused (issue #26)
    contact._change_reason = "corrected by the focal point"  # type: ignore[attr-defined]
    contact.save()
    audit.record(
        "contact.updated_by_self", by=by, obj=contact, summary=str(contact), before=before,
        after={f: getattr(contact, f) for f in values},
    )  # fmt: skip
    return contact


class AccountKept(ValidationError):
    """The account made records that keep who made them: it is deactivated, never deleted."""


def records_made(user: User) -> dict[str, int]:
    """What the account made that names it, by kind: records that protect their author (the
    ledger's payments, invoices, credit notes) and changes in the history. Deleting the account
    would leave them naming nobody, so such an account is deactivated instead (issue #32)."""
    made: Counter[str] = Counter()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.related_model is not User:
                continue
            protects = field.remote_field.on_delete is models.PROTECT  # type: ignore[union-attr]
            if protects or field.name == "history_user":
                count = model._default_manager.filter(**{field.name: user}).count()
                if count:
                    made[str(model._meta.verbose_name_plural)] += count
    return dict(sorted(made.items()))


@transaction.atomic
def deactivate_user(user: User, *, by: AbstractBaseUser) -> User:
    """The account can no longer sign in (its open sessions end: Django authenticates no
    inactive account); everything it made keeps its name. Staff reactivate it in the admin."""
    if user.pk == by.pk:
        raise AccountKept(_("Nobody deactivates their own account."))
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(
            "account.deactivated", by=by, obj=user, summary=user.email or user.username,
            before={"is_active": True}, after={"is_active": False},
        )  # fmt: skip
    return user


def why_kept(user: User, *, by: AbstractBaseUser) -> str:
    """Why `by` may not delete this account ("" when they may): their own, or one that made
    records naming it (`records_made`), which is deactivated instead."""
    if user.pk == by.pk:
        return _("Nobody deletes their own account.")
    made = records_made(user)
    if not made:
        return ""
    return _(
        "%(account)s made records that keep who made them (%(records)s): deactivate the "
        "account instead of deleting it."
    ) % {
        "account": user.email or user.username,
        "records": ", ".join(f"{kind}: {n}" for kind, n in made.items()),  # no "1 payments"
    }


@transaction.atomic
def delete_user(user: User, *, by: AbstractBaseUser) -> None:
    """Delete an account that made nothing that names it (an invitation never taken up);
    refuse, pointing to deactivation, one that did (`why_kept`).

    The account's label stays: in the audit event of its deletion, and as the reason of the
    last history row of its profile, whose earlier rows keep the account's id (issue #32)."""
    refused = why_kept(user, by=by)
    if refused:
        raise AccountKept(refused)
    label = user.email or user.username
    profile = Profile.objects.filter(user=user).first()
    audit.record(
        "account.deleted", by=by, obj=user, summary=label,
        before={"username": user.username, "email": user.email,
                "role": profile.role if profile else None,
                "states": sorted(profile.states.values_list("iso3", flat=True)) if profile else []},
    )  # fmt: skip
    if profile is not None:
        # Deleted on its own, not by cascade, so its last history row can say whose it was.
        profile._change_reason = f"account {label} deleted"  # type: ignore[attr-defined]
        profile.delete()
    user.delete()


@transaction.atomic
def deactivate_contact(contact: Contact, *, by: AbstractBaseUser) -> Contact:
    """The contact is kept, marked inactive (never deleted, issue #26): no letter goes to it.
    The account its invitation made loses the contact's State, unless another active contact
    of that State is bound to it: a focal point who is no longer one reads no more of the
    State's drafts (audited)."""
    from ccm.registry.services import set_contact_active

    contact = set_contact_active(contact, active=False, by=by)
    if contact.user_id is None:
        return contact
    still = Contact.objects.filter(user_id=contact.user_id, state_id=contact.state_id, active=True)
    profile = Profile.objects.filter(user_id=contact.user_id, role=Role.FOCAL_POINT).first()
    if profile is None or still.exists() or not profile.states.filter(pk=contact.state_id).exists():
        return contact
    before = sorted(profile.states.values_list("iso3", flat=True))
    profile.states.remove(contact.state)
    audit.record(
        "account.state_withdrawn", by=by, obj=profile.user,
        summary=f"{profile.user.email}: no longer for {contact.state_id} (contact deactivated)",
        before={"states": before},
        after={"states": sorted(profile.states.values_list("iso3", flat=True))},
    )  # fmt: skip
    return contact
