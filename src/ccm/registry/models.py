"""The registry: States, their treaty actions and their contacts."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ccm.registry import rules
from ccm.registry.choices import (
    DEPOSIT_KINDS,
    ActionKind,
    Language,
    Region,
    SubRegion,
    UNStanding,
)

NAME_LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")


def fold(text: str) -> str:
    """Lower-case, accents removed: what search compares ("cote" finds "Côte d'Ivoire")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class State(models.Model):
    """A State in the sense of the Convention: UN Member States and the four others that matter
    (Holy See and State of Palestine, observers; Cook Islands and Niue, not UN members)."""

    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, primary_key=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    m49 = models.PositiveSmallIntegerField(_("UN M49 code"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    un_standing = models.CharField(
        _("UN standing"), max_length=12, choices=UNStanding.choices, default=UNStanding.MEMBER
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    subregion = models.CharField(_("sub-region"), max_length=30, choices=SubRegion.choices)
    language = models.CharField(
        _("working language"),
        max_length=2,
        choices=Language.choices,
        default=Language.EN,
        help_text=_("Language of the letters and reminders sent to this State."),
    )
    language_set_by_staff = models.BooleanField(
        _("working language set by staff"),
        default=False,
        help_text=_(
            "Ticked when staff chose the working language: loading the reference data then "
            "keeps it. Unticked, it follows the State's official languages (Spanish, else "
            "French, else English)."
        ),
    )
    search_text = models.TextField(editable=False, default="")
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("country", "State")
        verbose_name_plural = pgettext_lazy("country", "States")
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(iso3__regex=r"^[A-Z]{3}$"), name="state_iso3_upper_alpha3"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = " ".join(
            fold(n) for n in {self.name_en, self.name_fr, self.name_es, self.iso3} if n
        )
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def name(self) -> str:
        """The name in the active language, falling back to English."""
        lang = (get_language() or "en")[:2]
        if lang in NAME_LANGUAGES:
            return getattr(self, f"name_{lang}") or self.name_en
        return self.name_en


class TreatyAction(models.Model):
    """One action of a State under Arts. 15, 16 and 20: signature, the deposit of an instrument
    of ratification, acceptance, approval or accession, or a withdrawal."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="actions", verbose_name=_("State")
    )
    kind = models.CharField(_("action"), max_length=12, choices=ActionKind.choices)
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_(
            "Signature or deposit date; for a withdrawal, the date the depositary received "
            "the notification (may be unknown)."
        ),
    )
    effective_date = models.DateField(
        _("takes effect"),
        null=True,
        blank=True,
        help_text=_(
            "Withdrawal only: the date it takes effect, when known (Art. 20(2): six months "
            "after notification, later if the State is then in armed conflict)."
        ),
    )
    source_entry_into_force = models.DateField(
        _("entry into force stated by the source"),
        null=True,
        blank=True,
        help_text=_("Deposits only. The system computes entry into force and flags a difference."),
    )
    source = models.TextField(_("source"), help_text=_("Citation or URL."))
    declarations = models.TextField(_("declarations"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("treaty action")
        verbose_name_plural = _("treaty actions")
        ordering = ["state_id", "date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ActionKind.WITHDRAWAL) | Q(date__isnull=False),
                name="treaty_action_date_required",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ActionKind.WITHDRAWAL)
                | Q(date__isnull=False)
                | Q(effective_date__isnull=False),
                name="treaty_action_withdrawal_dated",
            ),
            models.CheckConstraint(
                condition=Q(kind=ActionKind.WITHDRAWAL) | Q(effective_date__isnull=True),
                name="treaty_action_effect_only_withdrawal",
            ),
            models.UniqueConstraint(fields=["state", "kind"], name="treaty_action_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.kind} {self.date or self.effective_date}"

    @property
    def is_deposit(self) -> bool:
        return self.kind in DEPOSIT_KINDS

    @property
    def entry_into_force(self) -> dt.date | None:
        return rules.entry_into_force(self.date) if self.is_deposit and self.date else None

    @property
    def entry_into_force_differs(self) -> bool:
        return bool(
            self.source_entry_into_force
            and self.entry_into_force
            and self.source_entry_into_force != self.entry_into_force
        )

    @property
    def takes_effect(self) -> dt.date | None:
        if self.kind != ActionKind.WITHDRAWAL:
            return None
        return self.effective_date or (self.date and rules.withdrawal_effective(self.date))


class ContactRole(models.TextChoices):
    NATIONAL_FOCAL_POINT = "national_focal_point", _("National focal point")
    PERMANENT_MISSION = "permanent_mission", _("Permanent mission")
    VICTIM_ASSISTANCE = "victim_assistance", _("Victim-assistance focal point (Art. 5)")


class Contact(models.Model):
    """A person a State designates for the Convention's work. Managed by ISU staff; a contact
    may be invited to an account (then `user` is set)."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("State")
    )
    name = models.CharField(_("person"), max_length=200)
    role = models.CharField(_("role"), max_length=30, choices=ContactRole.choices)
    title = models.CharField(_("title or position"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    language = models.CharField(
        _("working language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Left empty, the working language of the State."),
    )
    user = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("account"),
    )
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    # Raised by every change made through the site: an edit made from an older copy is refused
    # rather than overwriting what someone saved meanwhile (issue #26).
    revision = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["state_id", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "email"],
                condition=~Q(email=""),
                name="contact_unique_email_per_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.state_id})"

    def save(self, *args: object, **kwargs: object) -> None:
        # A new contact writes in its State's working language unless told otherwise.
        if not self.language:
            self.language = self.state.language
        super().save(*args, **kwargs)  # type: ignore[arg-type]
