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
from ccm.meetings.choices import (
    DeadlineKind,
    DocumentKind,
    ItemStatus,
    MeetingKind,
    Mode,
    Owner,
    Presence,
)
from ccm.registry.models import State


class Meeting(models.Model):
    """A meeting of the Convention: a Meeting of States Parties, a Review Conference or one of
    its parts, a preparatory or intersessional meeting, a Coordination Committee meeting, a
    regional seminar or a round table. Past ones load from the reference data, with sources."""

    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("e.g. 7MSP"))
    kind = models.CharField(_("kind"), max_length=4, choices=MeetingKind.choices)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    part = models.PositiveSmallIntegerField(_("part"), null=True, blank=True)
    name = models.CharField(
        _("title"), max_length=200, blank=True,
        help_text=_("The meeting's own title, e.g. \"Regional Seminar on Cluster Munitions in "
                    "South-East Asia\"; left empty, a formal meeting keeps its name, e.g. "
                    "\"7th Meeting of States Parties\"."),
    )  # fmt: skip
    start_date = models.DateField(_("opens on"), null=True, blank=True)
    end_date = models.DateField(_("closes on"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    host = models.ForeignKey(
        State, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings_hosted",
        verbose_name=_("host State"),
    )  # fmt: skip
    venue = models.CharField(_("venue and room"), max_length=200, blank=True)
    sponsor = models.CharField(
        _("organised or sponsored by"), max_length=300, blank=True,
        help_text=_("For an informal meeting (a seminar, a workshop, a retreat): who organises, "
                    "hosts or funds it, as the source says."),
    )  # fmt: skip
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    held_under = models.ForeignKey(
        "Presidency", null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings",
        verbose_name=_("held under the Presidency of"),
        help_text=_("For a coordination meeting, a seminar or a round table: the Presidency "
                    "that convenes it (a Meeting's own Presidency is its president)."),
    )  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"))
    # A change made from an older copy of the meeting is refused, never merged (issue #26)
    revision = models.PositiveIntegerField(default=1)
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
        """The meeting's own title when it has one ("Regional Seminar on ..."), else its name in
        the active language: "7th Meeting of States Parties"."""
        if self.name:
            return self.name
        language = (get_language() or "en")[:2]
        label = str(MeetingKind(self.kind).label)
        name = f"{rules.ordinal(self.number, language)} {label}" if self.number else label
        if self.part:
            name += " " + str(_("(part %(n)d)") % {"n": self.part})
        return name

    @property
    def is_formal(self) -> bool:
        """A formal meeting of the Convention (Art. 11, 12; costs shared under Art. 14(1)); every
        other kind is informal (rules.is_formal)."""
        return rules.is_formal(self.kind)

    def status(self, today: date | None = None) -> str:
        return rules.status_on(
            self.start_date, self.end_date, self.cancelled, today or timezone.localdate()
        )


def validate_logo(upload: object) -> None:
    """An uploaded logo is checked by its content and drawn once (meetings.logo): refused if
    unsafe or if it cannot be drawn."""
    from django.core.exceptions import ValidationError

    from ccm.meetings import logo

    name = getattr(upload, "name", "") or ""
    upload.seek(0)  # type: ignore[attr-defined]
    data = upload.read(logo.MAX_BYTES + 1)  # type: ignore[attr-defined]
    upload.seek(0)  # type: ignore[attr-defined]
    try:
        logo.check_upload(name, data)
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
    president_title = models.CharField(
        _("President's title"), max_length=200, blank=True,
        help_text=_("As it appears under the signature, e.g. Ambassador, Permanent "
                    "Representative to the Conference on Disarmament"),
    )  # fmt: skip
    address = models.TextField(
        _("address for letters"), blank=True,
        help_text=_("The mission's address, printed in the letterhead"),
    )  # fmt: skip
    designated_by = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="designated",
        verbose_name=_("designated by"),
    )  # fmt: skip
    national_logo = models.FileField(
        _("national logo (SVG or PNG)"),
        upload_to="logos/",
        blank=True,
        validators=[validate_logo],
        help_text=_("Placed beside the Convention's mark on the meeting logo; checked, never "
                    "cleaned: an unsafe file is refused."),
    )  # fmt: skip
    source = models.TextField(_("source"))
    revision = models.PositiveIntegerField(default=1)
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


class Deadline(models.Model):
    """A dated step before a meeting: notes verbales due, registration closes, documents due."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("meeting")
    )
    what = models.CharField(_("what"), max_length=20, choices=DeadlineKind.choices)
    due_on = models.DateField(_("due on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["meeting", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "what"], name="one_deadline_of_a_kind")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.what} {self.due_on}"


class Succession(models.Model):
    """The consultations on who presides over a coming Meeting: when they open, who volunteers,
    the consultations held, and the State designated and by which Meeting (issue #11)."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="succession",
        verbose_name=_("Presidency of the meeting"),
    )  # fmt: skip
    opens_on = models.DateField(_("consultations open on"))
    notes = models.TextField(_("notes"), blank=True)
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")

    def __str__(self) -> str:
        return f"{self.meeting_id} succession"


class Volunteer(models.Model):
    """A State that offers to take the Presidency, with the date and its letter."""

    succession = models.ForeignKey(Succession, on_delete=models.CASCADE, related_name="volunteers")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("State"))  # fmt: skip
    offered_on = models.DateField(_("offered on"))
    letter = models.FileField(
        _("letter"), upload_to="succession/%Y/", blank=True,
        validators=[FileExtensionValidator(DOCUMENT_TYPES), validate_document_file],
    )  # fmt: skip
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["offered_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["succession", "state"], name="one_offer_per_state")
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.offered_on}"


class Consultation(models.Model):
    """A round of consultations on the succession: when, and what came of it."""

    succession = models.ForeignKey(
        Succession, on_delete=models.CASCADE, related_name="consultations"
    )
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("summary"))

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.succession_id} {self.held_on}"


class Coordination(models.Model):
    """A theme of the Coordination Committee in one Presidency's year and its coordinator
    States. Themes are data: they change (risk education was split from clearance in 2024)."""

    presidency = models.ForeignKey(
        Presidency, on_delete=models.CASCADE, related_name="coordination",
        verbose_name=_("Presidency"),
    )  # fmt: skip
    theme = models.CharField(_("theme"), max_length=120)
    theme_fr = models.CharField(_("theme in French"), max_length=120, blank=True)
    theme_es = models.CharField(_("theme in Spanish"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    coordinators = models.ManyToManyField(
        State, blank=True, related_name="+", verbose_name=_("coordinator States")
    )

    class Meta:
        verbose_name = _("coordination theme")
        verbose_name_plural = _("coordination themes")
        ordering = ["presidency", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["presidency", "theme"], name="one_theme_per_year")
        ]

    def __str__(self) -> str:
        return self.theme

    @property
    def name(self) -> str:
        """The theme in the reader's language where it was given, else as written."""
        language = (get_language() or "en")[:2]
        return {"fr": self.theme_fr, "es": self.theme_es}.get(language) or self.theme


class Attendance(models.Model):
    """Who took part in a coordination meeting: a State or an organisation, present or with
    apologies."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    state = models.ForeignKey(State, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("State"))  # fmt: skip
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    presence = models.CharField(_("presence"), max_length=10, choices=Presence.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "presence", "state__name_en", "organisation"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(state__isnull=False) & models.Q(organisation=""))
                | (models.Q(state__isnull=True) & ~models.Q(organisation="")),
                name="attendance_is_a_state_or_an_organisation",
            ),
            models.UniqueConstraint(
                fields=["meeting", "state"],
                name="one_attendance_per_state",
                condition=models.Q(state__isnull=False),
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                name="one_attendance_per_organisation",
                condition=~models.Q(organisation=""),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.state_id or self.organisation} {self.presence}"


class Minutes(models.Model):
    """The minutes of a coordination meeting: a file (PDF or Word) and a short summary."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    summary = models.TextField(_("summary"))
    file = models.FileField(
        _("file"), upload_to="minutes/%Y/", blank=True,
        validators=[FileExtensionValidator(DOCUMENT_TYPES), validate_document_file],
    )  # fmt: skip
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting_id} minutes"


class Letter(models.Model):
    """A letter of the Presidency to all States, written once per language (en, fr, es) with
    placeholders ([State], [meeting], [dates], [place]) and printed on the letterhead."""

    presidency = models.ForeignKey(
        Presidency, on_delete=models.PROTECT, related_name="letters", verbose_name=_("Presidency")
    )
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    dated = models.DateField(_("date of the letter"))
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_en = models.TextField(_("text (English)"))
    subject_fr = models.CharField(_("subject (French)"), max_length=200, blank=True)
    body_fr = models.TextField(_("text (French)"), blank=True)
    subject_es = models.CharField(_("subject (Spanish)"), max_length=200, blank=True)
    body_es = models.TextField(_("text (Spanish)"), blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letter of the Presidency")
        verbose_name_plural = _("letters of the Presidency")
        ordering = ["-dated", "-pk"]

    def __str__(self) -> str:
        return self.subject_en

    def text(self, language: str) -> tuple[str, str] | None:
        """(subject, text) in a language, or None where it was not written in it."""
        subject = getattr(self, f"subject_{language}", "")
        body = getattr(self, f"body_{language}", "")
        return (subject, body) if subject and body else None

    @property
    def languages(self) -> list[str]:
        return [x for x in ("en", "fr", "es") if self.text(x)]
