"""Choices of the registry, with one colour per status reused by badges, the chart and the map."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccm.registry.rules import Status


class UNStanding(models.TextChoices):
    MEMBER = "member", _("UN Member State")
    OBSERVER = "observer", _("Non-member observer State")
    NON_MEMBER = "non_member", _("Not a UN member")


class Region(models.TextChoices):
    """UN M49 regions (the value is the English name used by the source table)."""

    AFRICA = "Africa", _("Africa")
    AMERICAS = "Americas", _("Americas")
    ASIA = "Asia", _("Asia")
    EUROPE = "Europe", _("Europe")
    OCEANIA = "Oceania", _("Oceania")


class SubRegion(models.TextChoices):
    """UN M49 sub-regions."""

    EASTERN_AFRICA = "Eastern Africa", _("Eastern Africa")
    MIDDLE_AFRICA = "Middle Africa", _("Middle Africa")
    NORTHERN_AFRICA = "Northern Africa", _("Northern Africa")
    SOUTHERN_AFRICA = "Southern Africa", _("Southern Africa")
    WESTERN_AFRICA = "Western Africa", _("Western Africa")
    CARIBBEAN = "Caribbean", _("Caribbean")
    CENTRAL_AMERICA = "Central America", _("Central America")
    NORTHERN_AMERICA = "Northern America", _("Northern America")
    SOUTH_AMERICA = "South America", _("South America")
    CENTRAL_ASIA = "Central Asia", _("Central Asia")
    EASTERN_ASIA = "Eastern Asia", _("Eastern Asia")
    SOUTH_EASTERN_ASIA = "South-eastern Asia", _("South-eastern Asia")
    SOUTHERN_ASIA = "Southern Asia", _("Southern Asia")
    WESTERN_ASIA = "Western Asia", _("Western Asia")
    EASTERN_EUROPE = "Eastern Europe", _("Eastern Europe")
    NORTHERN_EUROPE = "Northern Europe", _("Northern Europe")
    SOUTHERN_EUROPE = "Southern Europe", _("Southern Europe")
    WESTERN_EUROPE = "Western Europe", _("Western Europe")
    AUSTRALIA_NEW_ZEALAND = "Australia and New Zealand", _("Australia and New Zealand")
    MELANESIA = "Melanesia", _("Melanesia")
    MICRONESIA = "Micronesia", _("Micronesia")
    POLYNESIA = "Polynesia", _("Polynesia")


class ActionKind(models.TextChoices):
    SIGNATURE = "signature", _("Signature")
    RATIFICATION = "ratification", _("Ratification")
    ACCEPTANCE = "acceptance", _("Acceptance")
    APPROVAL = "approval", _("Approval")
    ACCESSION = "accession", _("Accession")
    WITHDRAWAL = "withdrawal", _("Withdrawal")


DEPOSIT_KINDS = (
    ActionKind.RATIFICATION,
    ActionKind.ACCEPTANCE,
    ActionKind.APPROVAL,
    ActionKind.ACCESSION,
)


class Language(models.TextChoices):
    """Working languages of correspondence (the Convention's practice: English, French, Spanish)."""

    EN = "en", _("English")
    FR = "fr", _("French")
    ES = "es", _("Spanish")


STATUS_LABELS = {
    Status.NOT_SIGNED: pgettext_lazy("treaty status", "Not signed"),
    Status.SIGNATORY: pgettext_lazy("treaty status", "Signatory"),
    Status.DEPOSITED: pgettext_lazy("treaty status", "State Party (not yet in force)"),
    Status.IN_FORCE: pgettext_lazy("treaty status", "State Party"),
    Status.WITHDRAWN: pgettext_lazy("treaty status", "Withdrawn"),
}

# Colour-blind-safe palette (Okabe-Ito), one colour per status: badges, chart lines, map fills.
STATUS_COLOURS = {
    Status.NOT_SIGNED: "#d9d9d9",
    Status.SIGNATORY: "#e69f00",
    Status.DEPOSITED: "#56b4e9",
    Status.IN_FORCE: "#0072b2",
    Status.WITHDRAWN: "#7f3c8d",
}


class StatusFilter(models.TextChoices):
    """What the States list filters on (the CLI's vocabulary plus the finer statuses)."""

    PARTY = "party", pgettext_lazy("treaty status", "States Parties")
    IN_FORCE = "in_force", pgettext_lazy("treaty status", "In force")
    NOT_YET_IN_FORCE = "deposited", pgettext_lazy("treaty status", "Not yet in force")
    SIGNATORY = "signatory", pgettext_lazy("treaty status", "Signatories")
    WITHDRAWN = "withdrawn", pgettext_lazy("treaty status", "Withdrawn")
    NOT_SIGNED = "not_signed", pgettext_lazy("treaty status", "Not signed")


# Text colour readable on each status colour (WCAG AA contrast).
STATUS_TEXT_COLOURS = {
    Status.NOT_SIGNED: "#000",
    Status.SIGNATORY: "#000",
    Status.DEPOSITED: "#000",
    Status.IN_FORCE: "#fff",
    Status.WITHDRAWN: "#fff",
}
