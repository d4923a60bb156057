"""The facts that create or move Arts. 3 and 4 obligations (declared stockpiles and
contamination, retentions, extension decisions) and the log of reminders sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ccm.compliance import rules
from ccm.compliance.choices import Decision, HoldingKind, ReminderStage
from ccm.registry.models import State


class Holding(models.Model):
    """A State declared stockpiles (Art. 3(1)) or contaminated areas (Art. 4(1)): the obligation
    to destroy or clear runs from it. Later issues derive these from report data."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("State")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=HoldingKind.choices)
    source = models.TextField(_("source"))
    source_due_date = models.DateField(_("deadline stated by the source"), null=True, blank=True)
    completed_on = models.DateField(
        _("completed on"),
        null=True,
        blank=True,
        help_text=_("Date of completion declared to the Meeting of States Parties (Art. 4(1)(c))."),
    )
    completion_source = models.TextField(_("source of the completion"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declared stockpile or contamination")
        verbose_name_plural = _("declared stockpiles and contamination")
        constraints = [
            models.UniqueConstraint(fields=["state", "kind"], name="one_holding_per_state_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.get_kind_display()}"


class RetentionDeclaration(models.Model):
    """A year in which a State declared munitions retained or transferred (Art. 3(6)–(8))."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="retentions", verbose_name=_("State")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.TextField(_("source"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declared retention")
        verbose_name_plural = _("declared retentions")
        constraints = [
            models.UniqueConstraint(fields=["state", "year"], name="one_retention_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.year}"


class ExtensionRequest(models.Model):
    """A request to extend an Art. 3 or Art. 4 deadline and the meeting's decision."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="extension_requests", verbose_name=_("State")
    )
    kind = models.CharField(_("obligation"), max_length=24, choices=HoldingKind.choices)
    submitted_on = models.DateField(_("submitted on"))
    requested_until = models.DateField(_("deadline requested"))
    meeting = models.CharField(_("deciding meeting"), max_length=120)
    meeting_opens = models.DateField(_("meeting opens on"))
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    source = models.TextField(_("source"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["state_id", "kind", "submitted_on"]

    def __str__(self) -> str:
        return f"{self.state_id} {self.kind} {self.submitted_on}"

    @property
    def latest_submission_date(self) -> dt.date:
        return rules.nine_months_before(self.meeting_opens)  # Arts. 3(3), 4(5)

    @property
    def submitted_in_time(self) -> bool:
        return rules.extension_request_in_time(self.submitted_on, self.meeting_opens)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.decision == Decision.GRANTED and not self.new_deadline:
            self.new_deadline = self.requested_until
        decided = (Decision.GRANTED, Decision.GRANTED_SHORTER, Decision.REFUSED)
        if self.decision in decided and not self.decided_on:
            errors["decided_on"] = _("A decision needs the date it was taken.")
        if self.decision == Decision.GRANTED_SHORTER and (
            not self.new_deadline
            or (self.requested_until and self.new_deadline >= self.requested_until)
        ):
            errors["new_deadline"] = _(
                "A shorter extension needs a new deadline before the one requested."
            )
        if self.decision in (Decision.PENDING, Decision.REFUSED) and self.new_deadline:
            errors["new_deadline"] = _("Only a granted request sets a new deadline.")
        if errors:
            raise ValidationError(errors)


class ReminderLog(models.Model):
    """One reminder sent: never twice for the same obligation, stage and cycle (idempotence).

    A deadline's reminders ("deadline approaching", "overdue") have cycle 0: each is sent once.
    A request to confirm a report not in our record (issue #24) is repeated at most once a
    year: its cycle is the number of whole years since the deadline on the day it was asked."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    obligation = models.CharField(max_length=40)  # "initial", "annual:2025", "retention:2024"
    stage = models.CharField(max_length=10, choices=ReminderStage.choices)
    due_date = models.DateField()
    cycle = models.PositiveSmallIntegerField(default=0)
    # The day the reminder speaks of (the run's as-of date); empty for older rows
    asked_on = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField()
    language = models.CharField(max_length=2)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "obligation", "stage", "due_date", "cycle"],
                name="one_reminder_per_stage_and_cycle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.obligation} {self.stage}"


class NotReceived(models.Model):
    """Evidence that a State's report had not been received as of a date (issue #15): the
    report arrived after that date, if at all."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("State")
    )
    kind = models.CharField(_("kind"), max_length=8)  # initial, annual
    period = models.PositiveSmallIntegerField(_("year covered"), null=True, blank=True)
    as_of = models.DateField(_("not received as of"))
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("report not received (evidence)")
        verbose_name_plural = _("reports not received (evidence)")
        ordering = ["state", "kind", "period", "as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "kind", "period", "as_of", "source"],
                name="compliance_not_received_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.kind} {self.period or ''} not received as of {self.as_of}"


class PublishedList(models.Model):
    """A published list or count of States Parties with overdue reports, at a date or within a
    window of dates (an undated page); `count_stated` may exceed the names given."""

    as_of_earliest = models.DateField(_("as of (earliest)"))
    as_of_latest = models.DateField(_("as of (latest)"))
    kind = models.CharField(_("kind"), max_length=8)
    period = models.PositiveSmallIntegerField(_("year covered"), null=True, blank=True)
    count_stated = models.PositiveSmallIntegerField(_("count stated"))
    listed = models.JSONField(_("States named"), default=list)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("published list of overdue reports")
        verbose_name_plural = _("published lists of overdue reports")
        ordering = ["as_of_latest", "kind", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["as_of_earliest", "as_of_latest", "kind", "period", "source"],
                name="compliance_list_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period or ''}: {self.count_stated} ({self.as_of_latest})"

    @property
    def complete(self) -> bool:
        """It names as many States as it says are overdue."""
        return len(self.listed) == self.count_stated


class CompleteRecord(models.Model):
    """The record of a State's reports of one kind is complete (the ISU's own register, or a
    State reporting online): a report not in it was not received."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("State")
    )
    kind = models.CharField(_("kind"), max_length=8)
    marked_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("complete record of reports")
        verbose_name_plural = _("complete records of reports")
        constraints = [
            models.UniqueConstraint(fields=["state", "kind"], name="compliance_complete_once"),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.kind}: complete"
