"""Choices of the record of reports received."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionKind(models.TextChoices):
    INITIAL = "initial", _("initial report")  # Art. 7(1)
    ANNUAL = "annual", _("annual report")  # Art. 7(2)
    RETENTION = "retention", _("report on retained or transferred munitions")  # Art. 3(8)
    VOLUNTARY = "voluntary", _("voluntary report")  # signatories and non-parties; never compliance


class Relation(models.TextChoices):
    """How a report stands to others of the same State, kind and year (issue #7): one original
    satisfies the obligation; amendments and further parts are recorded beside it, never
    instead of it."""

    ORIGINAL = "original", _("original report")
    AMENDMENT = "amendment", _("amendment of a report already recorded")
    FURTHER_PART = "further_part", _("further part of a report already recorded")


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    EMAIL_UN = "email_un", _("e-mail to the UN")
    VIA_ISU = "via_isu", _("via the ISU")
    UNKNOWN = "unknown", _("not recorded")


class Origin(models.TextChoices):
    """Where a record of a received report came from."""

    REFERENCE = "reference", _("published source (reference data)")
    IMPORT = "import", _("imported from the ISU's records")
    STAFF = "staff", _("entered by ISU staff")
    ONLINE = "online", _("submitted online by the State")
    DEMO = "demo", _("demonstration data")


class Declared(models.TextChoices):
    """What a report declares that brings an obligation (issue #10)."""

    STOCKPILES = "stockpiles", _("cluster munitions in stock (Form B)")  # Art. 3(2)
    CONTAMINATION = "contamination", _("contaminated areas (Form F)")  # Art. 4(1)(a)


class QueryState(models.TextChoices):
    """Where an ISU query on a submitted report stands (issue #10)."""

    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
