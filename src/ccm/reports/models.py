"""The record of Article 7 reports received: one row per report, as the ISU's register keeps it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ccm.core.files import DOCUMENT_TYPES, SIGNATURES, validate_document_file
from ccm.registry.models import State
from ccm.registry.selectors import membership_from_actions
from ccm.reports import rules
from ccm.reports.choices import Channel, Origin, QueryState, Relation, SubmissionKind

REPORT_FILE_TYPES = DOCUMENT_TYPES
REPORT_FILE_SIGNATURES = SIGNATURES


def validate_report_file(upload: Any) -> None:
    """PDF or Word only, checked by content (core.files); the name stays for the migrations."""
    validate_document_file(upload)


# Rules the database enforces as constraints (with the same words): not repeated by `clean`.
CONSTRAINED = {"no_date", "initial_has_period", "retention_needs_period"}


class Submission(models.Model):
    """One report received from a State (one row of the ISU's register of reports)."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("State")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SubmissionKind.choices)
    period = models.PositiveSmallIntegerField(
        _("year covered"),
        null=True,
        blank=True,
        help_text=_("The calendar year the report covers; empty for an initial report."),
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_by = models.DateField(
        _("received by"),
        null=True,
        blank=True,
        help_text=_("Where only a latest possible date is known: received on or before this day."),
    )
    relation = models.CharField(
        _("relation to other reports"),
        max_length=12,
        choices=Relation.choices,
        default=Relation.ORIGINAL,
        help_text=_(
            "A second report for the same State, kind and year is an amendment or a further "
            "part of the one already recorded; only the original counts for the deadline."
        ),
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.UNKNOWN
    )
    languages = models.CharField(
        _("languages"), max_length=40, blank=True, help_text=_("Language codes, e.g. en, fr.")
    )
    file = models.FileField(
        _("report file"),
        upload_to="reports/%Y/",
        blank=True,
        validators=[FileExtensionValidator(REPORT_FILE_TYPES), validate_report_file],
    )
    un_link = models.URLField(_("UN publication link"), blank=True)
    stated_due_date = models.DateField(
        _("deadline stated by the source"),
        null=True,
        blank=True,
        help_text=_("Only where a source states a deadline; the system computes its own."),
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"))
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # refuses conflicting edits
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report received")
        verbose_name_plural = _("reports received")
        ordering = ["state_id", "kind", "period", "received_on"]
        indexes = [models.Index(fields=["origin"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=False) | Q(received_by__isnull=False),
                name="submission_has_a_date",
                violation_error_message=rules.FORM_MESSAGES["no_date"],
            ),
            models.CheckConstraint(
                condition=~Q(kind="initial") | Q(period__isnull=True),
                name="initial_report_has_no_period",
                violation_error_message=rules.FORM_MESSAGES["initial_has_period"],
            ),
            models.CheckConstraint(
                condition=~Q(kind="retention") | Q(period__isnull=False),
                name="retention_report_has_a_period",
                violation_error_message=rules.FORM_MESSAGES["retention_needs_period"],
            ),
        ]

    def __str__(self) -> str:
        period = f" {self.period}" if self.period else ""
        return f"{self.state_id} {self.kind}{period} ({self.received_on or self.received_by})"

    @property
    def is_demo(self) -> bool:
        return self.origin == Origin.DEMO

    def same_report(self) -> models.QuerySet[Submission]:
        """Other records of this State's report of this kind and year."""
        return Submission.objects.filter(
            state_id=self.state_id, kind=self.kind, period=self.period
        ).exclude(pk=self.pk)

    def clean(self) -> None:
        """The checks the import applies to each row (`rules`, issue #8), and one original per
        State, kind and year (issue #7, `relation_error`). The three rules the database also
        enforces (a date; a year for a retention report, none for an initial one) are the
        constraints above, with the same words."""
        super().clean()
        if not self.state_id or not self.kind:
            return
        problems = [
            p
            for p in rules.period_problems(self.kind, self.period, timezone.localdate())
            if p.code not in CONSTRAINED
        ]
        problems += rules.date_problems(
            self.received_on, self.received_by, self.period, timezone.localdate()
        )
        membership = membership_from_actions(self.state_id, self.state.actions.all())
        problems += rules.membership_problems(
            self.state_id, self.kind, membership.deposit, self.received_on or self.received_by
        )
        problems += rules.language_problems(rules.language_codes(self.languages))
        errors: dict[str, list[str]] = {}
        for p in problems:
            errors.setdefault(p.field, []).append(rules.form_message(p))
        original = self.same_report().filter(relation=Relation.ORIGINAL).order_by("pk").first()
        problem = relation_error(self.relation, describe(original) if original else None)
        if problem:
            errors.setdefault("relation", []).append(problem)
        if errors:
            raise ValidationError(errors)


def describe(report: Submission) -> str:
    """A recorded report as a message names it."""
    return _("%(report)s, received %(day)s (source: %(source)s)") % {
        "report": report,
        "day": report.received_on or report.received_by,
        "source": report.source[:120],
    }


def relation_error(relation: str, original: str | None) -> str | None:
    """A second report for the same State, kind and year is refused, naming the first
    (`original`, described), unless it is an amendment or a further part; these in turn need
    their original. None when the report may be recorded."""
    if relation == Relation.ORIGINAL and original is not None:
        return str(
            _(
                "This report is already recorded: %(original)s. Record the new one as an "
                "amendment or a further part of it, or correct the one recorded."
            )
            % {"original": original}
        )
    if relation != Relation.ORIGINAL and original is None:
        return str(
            _(
                "No original of this report is recorded: an amendment or a further part needs "
                "the report it belongs to."
            )
        )
    return None


class Report(models.Model):
    """One State's structured Article 7 report for one obligation (its initial report, or its
    annual report for a year), made with a template; its submitted versions never change."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="reports", verbose_name=_("State")
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=[(SubmissionKind.INITIAL, SubmissionKind.INITIAL.label),
                 (SubmissionKind.ANNUAL, SubmissionKind.ANNUAL.label)],
    )  # fmt: skip
    period = models.PositiveSmallIntegerField(_("year covered"), null=True, blank=True)
    template = models.CharField(_("template"), max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("structured report")
        verbose_name_plural = _("structured reports")
        ordering = ["state_id", "kind", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "kind", "period"], name="one_report_per_state_kind_period"
            ),
            models.UniqueConstraint(
                fields=["state", "kind"],
                condition=Q(period__isnull=True),
                name="one_initial_report_per_state",
            ),
        ]

    def __str__(self) -> str:
        period = f" {self.period}" if self.period else ""
        return f"{self.state_id} {self.kind}{period}"


class ReportVersion(models.Model):
    """A submitted version of a structured report: written once, never changed. A later version
    supersedes it (an amendment); every version stays readable."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    forms = models.JSONField(_("forms"))  # exactly as the document gave them
    received_on = models.DateField(_("received on"))
    entered_by_isu = models.BooleanField(_("entered by the ISU on the State's behalf"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    warnings = models.JSONField(_("warnings"), default=list)
    checks = models.JSONField(
        _("cross-year checks"), default=list, blank=True
    )  # findings against the report before it, each with the State's explanation (issue #10)
    # The focal point's declaration, made on "check your answers" (issue #26): who declared the
    # report true and complete, by name as it was then, and when. Empty for a version entered by
    # the ISU or imported (no one declared it online).
    declared_by_name = models.CharField(_("declared by"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    record = models.OneToOneField(
        Submission,
        on_delete=models.PROTECT,
        related_name="report_version",
        verbose_name=_("record"),
    )  # the matching entry of the record of reports received, written in the same transaction

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class Draft(models.Model):
    """One form of a report being prepared: saved on its own, never public, shared by the
    State's focal points. `revision` refuses a save made from an older copy (two people saving
    the same form: the second is told, and keeps what they typed)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="drafts")
    form = models.CharField(_("form"), max_length=20)
    values = models.JSONField(_("values"), default=dict)
    revision = models.PositiveIntegerField(default=1)
    carried_from = models.CharField(
        _("carried forward from"), max_length=60, blank=True
    )  # "CHL annual 2023, version 2" when "unchanged since last report" copied it
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft form")
        verbose_name_plural = _("draft forms")
        constraints = [
            models.UniqueConstraint(fields=["report", "form"], name="one_draft_per_form"),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.form} (draft r{self.revision})"


class Query(models.Model):
    """An ISU question on a submitted version, about one form or one of its values (issue #10):
    the State's focal points see it and answer by a reply or by an amendment."""

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="queries")
    form = models.CharField(_("form"), max_length=20)
    about = models.CharField(
        _("about"), max_length=200, blank=True, help_text=_("The value in question, if one.")
    )
    text = models.TextField(_("query"))
    state = models.CharField(
        _("state"), max_length=10, choices=QueryState.choices, default=QueryState.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        ReportVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("answered by the amendment"),
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("query on a report")
        verbose_name_plural = _("queries on reports")
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.version} {self.form}: {self.text[:40]}"


class QueryReply(models.Model):
    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("reply"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reply to a query")
        verbose_name_plural = _("replies to queries")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.query_id}: {self.text[:40]}"


class FormDelegation(models.Model):
    """A focal point asks a colleague, by e-mail, to fill one form of a report (issue #10). The
    link is bound to that address and expires; once opened by the colleague's account, only
    that account may use it; a focal point or the ISU may revoke it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="delegations")
    form = models.CharField(_("form"), max_length=20)
    email = models.EmailField(_("colleague's e-mail address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="form_delegations",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The colleague's progress, for the focal point (issue #26): their last save of the form,
    # and when they said they had finished it.
    saved_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("form delegated to a colleague")
        verbose_name_plural = _("forms delegated to colleagues")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.form} → {self.email}"

    def usable(self, now: Any = None) -> bool:
        return self.revoked_at is None and (now or timezone.now()) < self.expires_at
