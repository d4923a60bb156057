"""Meetings, their documents and facts, and the Presidencies (issue #11)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ccm.core.files import DOCUMENT_TYPES, validate_document_file
from ccm.core.languages import UN_LANGUAGES
from ccm.meetings import rules
from ccm.meetings.choices import DocumentKind, ItemStatus, MeetingKind, Mode, Owner
from ccm.registry.models import State


class Meeting(models.Model):
    """A meeting of the Convention: a Meeting of States Parties, a Review Conference or one of
    its parts, a preparatory or intersessional meeting, a Coordination Committee meeting, a
    regional seminar or a round table. Past ones load from the reference data, with sources."""

    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("e.g. 7MSP"))
    kind = models.CharField(_("kind"), max_length=4, choices=MeetingKind.choices)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    part = models.PositiveSmallIntegerField(_("part"), null=True, blank=True)
    start_date = models.DateField(_("opens on"), null=True, blank=True)
    end_date = models.DateField(_("closes on"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    host = models.ForeignKey(
        State, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings_hosted",
        verbose_name=_("host State"),
    )  # fmt: skip
    venue = models.CharField(_("venue and room"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=False, end_date__gte=models.F("start_date")),
                name="meeting_ends_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        """The meeting's name in the active language: "7th Meeting of States Parties"."""
        language = (get_language() or "en")[:2]
        label = str(MeetingKind(self.kind).label)
        name = f"{rules.ordinal(self.number, language)} {label}" if self.number else label
        if self.part:
            name += " " + str(_("(part %(n)d)") % {"n": self.part})
        return name

    def status(self, today: date | None = None) -> str:
        return rules.status_on(
            self.start_date, self.end_date, self.cancelled, today or timezone.localdate()
        )


def validate_logo(upload: object) -> None:
    """An uploaded logo is checked by its content (meetings.logo): refused, never cleaned."""
    from django.core.exceptions import ValidationError

    from ccm.meetings import logo

    name = getattr(upload, "name", "") or ""
    upload.seek(0)  # type: ignore[attr-defined]
    data = upload.read(logo.MAX_BYTES + 1)  # type: ignore[attr-defined]
    upload.seek(0)  # type: ignore[attr-defined]
    try:
        logo.read_logo(name, data)
    except logo.UnsafeLogo as exc:
        raise ValidationError(
            _("This logo is refused: %(why)s."), params={"why": exc}, code="unsafe_logo"
        ) from None


class Presidency(models.Model):
    """The State presiding over the Convention from one Meeting to the next, and its President;
    one per Meeting it presides (a Review Conference in two parts has one per part)."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="presidency", verbose_name=_("meeting")
    )
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="presidencies", verbose_name=_("State")
    )
    president = models.CharField(_("President"), max_length=200, blank=True)
    national_logo = models.FileField(
        _("national logo (SVG or PNG)"),
        upload_to="logos/",
        blank=True,
        validators=[validate_logo],
        help_text=_("Placed beside the Convention's mark on the meeting logo; checked, never "
                    "cleaned: an unsafe file is refused."),
    )  # fmt: skip
    source = models.TextField(_("source"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Presidency")
        verbose_name_plural = _("Presidencies")
        ordering = ["meeting__start_date"]

    def __str__(self) -> str:
        return f"{self.state_id} ({self.meeting_id})"


FACT_LABELS = {
    "president": _("President"),
    "dates_venue": _("Dates and venue"),
    "participation": _("Participation"),
    "coordination_committee": _("Coordination Committee"),
    "event": _("Event"),
    "initiative": _("Initiative"),
}


class MeetingFact(models.Model):
    """A fact about a meeting, or about the year leading up to it (its "cycle"), as a source
    states it: who presided, dates and rooms, participation, events, initiatives."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="facts", verbose_name=_("meeting")
    )
    cycle = models.BooleanField(_("about the year leading up to it"), default=False)
    field = models.CharField(_("what"), max_length=40)
    value = models.TextField(_("value"))
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("fact about a meeting")
        verbose_name_plural = _("facts about meetings")
        ordering = ["meeting", "cycle", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.field}"

    @property
    def label(self) -> str:
        """What the fact is about, in the reader's language; an unknown field as written."""
        known = FACT_LABELS.get(self.field)
        return str(known) if known else self.field.replace("_", " ").capitalize()


class Document(models.Model):
    """An official document with its UN symbol (CCM/MSP/2017/1), parsed and unique."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="documents", verbose_name=_("meeting")
    )
    symbol = models.CharField(_("symbol"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["meeting", "symbol"]

    def __str__(self) -> str:
        return self.symbol

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        try:
            self.symbol = str(rules.parse_symbol(self.symbol))
        except rules.SymbolError as exc:
            raise ValidationError({"symbol": str(exc)}) from None


class DocumentFile(models.Model):
    """A document in one of the UN's six languages: PDF or Word, checked by content and size."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=2, choices=UN_LANGUAGES)
    file = models.FileField(
        _("file"),
        upload_to="documents/%Y/",
        validators=[FileExtensionValidator(DOCUMENT_TYPES), validate_document_file],
    )

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"], name="one_file_per_document_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.language}"


class WorkPlanItem(models.Model):
    """An item of the work plan up to a Meeting (issue #11): what, on which theme, by whom, by
    when, and where it stands. `revision` refuses a change made from an older copy."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="work_plan",
        verbose_name=_("up to the meeting"),
    )  # fmt: skip
    title = models.CharField(_("item"), max_length=300)
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    owner = models.CharField(_("owner"), max_length=12, choices=Owner.choices)
    owner_state = models.ForeignKey(
        State, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("owner State"),
    )  # fmt: skip
    due_date = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    from_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("agreed at"),
    )  # fmt: skip
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work-plan item")
        verbose_name_plural = _("work-plan items")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def overdue(self, today: date | None = None) -> bool:
        return rules.item_overdue(self.due_date, self.status, today or timezone.localdate())
