"""Choices of compliance; one colour per compliance status (badges, chart, map)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccm.compliance.rules import Compliance, Kind


class HoldingKind(models.TextChoices):
    STOCKPILES = Kind.STOCKPILE_DESTRUCTION.value, _("stockpiled cluster munitions (Art. 3)")
    CONTAMINATION = Kind.CLEARANCE.value, _("contaminated areas (Art. 4)")


class Decision(models.TextChoices):
    PENDING = "pending", _("pending")
    GRANTED = "granted", _("granted")
    GRANTED_SHORTER = "granted_shorter", _("granted for a shorter period")
    REFUSED = "refused", _("refused")


class ReminderStage(models.TextChoices):
    UPCOMING = "upcoming", _("deadline approaching")
    OVERDUE = "overdue", _("overdue")
    # Issue #24: not in our record, nothing certain: a request to send a copy, once a year
    CONFIRM = "confirm", _("request to confirm")


KIND_LABELS = {
    Kind.INITIAL: _("initial report"),
    Kind.ANNUAL: _("annual report"),
    Kind.RETENTION: _("report on retained or transferred munitions"),
    Kind.STOCKPILE_DESTRUCTION: _("stockpile destruction"),
    Kind.CLEARANCE: _("clearance of contaminated areas"),
}
KIND_ARTICLES = {
    Kind.INITIAL: "7(1)",
    Kind.ANNUAL: "7(2)",
    Kind.RETENTION: "3(8)",
    Kind.STOCKPILE_DESTRUCTION: "3(2)",
    Kind.CLEARANCE: "4(1)(a)",
}

COMPLIANCE_LABELS = {
    Compliance.NOT_YET_DUE: _("not yet due"),
    Compliance.DUE: pgettext_lazy("compliance", "due"),
    Compliance.ON_TIME: _("submitted on time"),
    Compliance.LATE: _("submitted late"),
    Compliance.OVERDUE: _("overdue"),
    Compliance.SUBMITTED: _("submitted, timeliness unknown"),
    # Issue #24: the deadline passed, nothing in the record, nothing showing it never came
    Compliance.UNKNOWN: _("not in our record (unknown)"),
}
# The evidence an obligation rests on (issue #15), as people read it.
EVIDENCE_LABELS = {
    "received": _("received (dated)"),
    "received_by": _("received by a date"),
    "not_received_as_of": _("not received as of a date"),
    "inferred_from_list": _("received, inferred from a complete published list"),
    "conflict": _("sources conflict"),
    "none": _("no evidence beyond the record"),
}
# Okabe–Ito palette (safe for colour-blind readers), text colour chosen for contrast.
COMPLIANCE_COLOURS = {
    Compliance.NOT_YET_DUE: "#e9ecef",
    Compliance.DUE: "#f0e442",
    Compliance.ON_TIME: "#009e73",
    Compliance.LATE: "#56b4e9",
    Compliance.OVERDUE: "#d55e00",
    Compliance.SUBMITTED: "#999999",
    Compliance.UNKNOWN: "#cc79a7",
}
COMPLIANCE_TEXT_COLOURS = {
    Compliance.NOT_YET_DUE: "#212529",
    Compliance.DUE: "#212529",
    Compliance.ON_TIME: "#000000",
    Compliance.LATE: "#000000",
    Compliance.OVERDUE: "#000000",
    Compliance.SUBMITTED: "#000000",
    Compliance.UNKNOWN: "#000000",
}
