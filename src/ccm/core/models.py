"""The audit trail of actions. Field-level before/after of models is kept by django-simple-history;
this table records the actions themselves (a login, an invitation, a data load) in one place."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(
        _("who (as recorded)"),
        max_length=254,
        blank=True,
        help_text=_("E-mail or command name, kept if the account is deleted."),
    )
    verb = models.CharField(_("what"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb}"


class EmailStatus(models.TextChoices):
    """Where a queued e-mail stands. At most once: a message is handed to the mail server only
    from PENDING or FAILED, after being marked SENDING in its own committed statement."""

    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being handed to the mail server")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, will be retried")
    UNCERTAIN = "uncertain", _("uncertain: check with the mail server")


class OutgoingEmail(models.Model):
    """An e-mail in the outbox. Written in the same transaction as what it reports (a reminder
    log, an invitation), sent after commit by `ccm.core.mail.deliver_pending`: no transaction is
    open while the mail server answers, and a message is never handed to it twice."""

    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    purpose = models.CharField(
        _("purpose"), max_length=60, blank=True, help_text=_("What sent it, e.g. reminder.")
    )
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))
    from_email = models.CharField(_("from"), max_length=254)
    to = models.JSONField(_("to"), default=list)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        help_text=_("File name, type and content (base64) of each attachment."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EmailStatus.choices,
        default=EmailStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sending_since = models.DateTimeField(_("handed to the mail server at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {', '.join(self.to)}: {self.subject}"


class DataRevision(models.Model):
    """One row whose token changes after every committed write of data (`ccm.core.revision`).
    Public pages are cached under it: a write anywhere, by any process, retires every cached
    page at once (issue #16)."""

    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("data revision")
        verbose_name_plural = _("data revisions")

    def __str__(self) -> str:
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
