"""Invitations to a meeting, each bound to its invitee, and the delegation it registers
(issue #12)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ccm.core.files import SCAN_TYPES, validate_document_file
from ccm.participation.choices import Category, DelegationStatus, Event, Gender, Role, Source
from ccm.registry.models import State

LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]


def new_secret() -> str:
    return secrets.token_urlsafe(18)


class Organisation(models.Model):
    """An organisation invited to meetings: a UN body, an international or regional
    organisation, the ICRC, the IFRC, the Cluster Munition Coalition or another NGO."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    email = models.EmailField(_("e-mail for invitations"))
    language = models.CharField(_("language of letters"), max_length=2, choices=LANGUAGES,
                                default="en")  # fmt: skip
    active = models.BooleanField(_("invited to meetings"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """A meeting's invitation to one State or organisation. Its link is bound to it: a secret
    that a new link or a revocation replaces, an expiry, and one use (a used link opens a
    session in that browser; anyone else asks for a new link, sent to the invitee)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="invitations",
        verbose_name=_("meeting"),
    )  # fmt: skip
    state = models.ForeignKey(
        State, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations",
        verbose_name=_("State"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT,
        related_name="invitations", verbose_name=_("organisation"),
    )  # fmt: skip
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="en")
    secret = models.CharField(max_length=40, default=new_secret)
    expires_on = models.DateField(_("link valid until"))
    link_used_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.JSONField(_("sent to"), default=list, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(state__isnull=False) & models.Q(organisation__isnull=True))
                | (models.Q(state__isnull=True) & models.Q(organisation__isnull=False)),
                name="invitation_to_a_state_or_an_organisation",
            ),
            models.UniqueConstraint(
                fields=["meeting", "state"],
                name="one_invitation_per_state",
                condition=models.Q(state__isnull=False),
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                name="one_invitation_per_organisation",
                condition=models.Q(organisation__isnull=False),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.invitee_name}"

    @property
    def invitee_name(self) -> str:
        if self.state_id:
            return self.state.name  # type: ignore[union-attr]
        return self.organisation.name  # type: ignore[union-attr]


class InvitationEvent(models.Model):
    """The log of an invitation: made, sent, opened, refused, a new link, revoked."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    event = models.CharField(max_length=10, choices=Event.choices)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["invitation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.event}"


class Delegation(models.Model):
    """The delegation an invitee registers, as a unit: its members (the head first) and its
    note verbale or credentials; checked and confirmed, or queried, by the ISU."""

    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT,
                                      related_name="delegation")  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=DelegationStatus.choices,
                              default=DelegationStatus.DRAFT)  # fmt: skip
    note_verbale = models.FileField(
        _("note verbale or credentials (PDF, Word or image)"), upload_to="delegations/%Y/",
        blank=True, validators=[FileExtensionValidator(SCAN_TYPES), validate_document_file],
    )  # fmt: skip
    # Issue #25: how the current version came (the invitee's link, or the ISU from a note
    # verbale received by e-mail), and the day the note on file was received when the ISU
    # entered it (empty for a note the invitee uploaded itself).
    source = models.CharField(_("source"), max_length=5, choices=Source.choices,
                              default=Source.LINK)  # fmt: skip
    note_received_on = models.DateField(_("note verbale received on"), null=True, blank=True)
    query = models.TextField(_("the ISU's question"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return str(self.invitation)


class Delegate(models.Model):
    """A member of a delegation, with a badge code (its QR code) that identifies the badge."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title or position"), max_length=200, blank=True)
    gender = models.CharField(_("gender (for the statistics)"), max_length=8,
                              choices=Gender.choices, default=Gender.UNSAID)  # fmt: skip
    email = models.EmailField(_("e-mail"), blank=True)
    arrives_on = models.DateField(_("arrives on"), null=True, blank=True)
    leaves_on = models.DateField(_("leaves on"), null=True, blank=True)
    badge = models.CharField(max_length=40, unique=True, default=new_secret)

    class Meta:
        verbose_name = _("member of a delegation")
        verbose_name_plural = _("members of delegations")
        ordering = ["delegation", "position", "pk"]

    def __str__(self) -> str:
        return self.name
