"""Choices of universalization."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where a State not party stands on the way to joining. The last stage is set by the
    registry (an instrument deposited), never by hand."""

    NOT_ENGAGED = "not_engaged", _("not engaged")
    ENGAGED = "engaged", _("engaged")
    DOMESTIC = "domestic", _("domestic process under way")
    DEPOSITED = "deposited", _("instrument deposited")


SET_BY_HAND = (Stage.NOT_ENGAGED, Stage.ENGAGED, Stage.DOMESTIC)


class Position(models.TextChoices):
    """What sources say of a State's relation to cluster munitions (signatory or not comes from
    the registry)."""

    STOCKPILER = "stockpiler", _("stockpiles cluster munitions")
    PRODUCER = "producer", _("produces cluster munitions")
    USER = "user", _("has used cluster munitions")
    AFFECTED = "affected", _("affected by cluster munition remnants")


class Channel(models.TextChoices):
    LETTER = "letter", _("letter")
    DEMARCHE = "demarche", _("démarche")
    MEETING = "meeting", _("meeting")
    SEMINAR = "seminar", _("seminar")
    VISIT = "visit", _("visit")


class Actor(models.TextChoices):
    PRESIDENCY = "presidency", _("the Presidency")
    COORDINATOR = "coordinator", _("a coordinator")
    ISU = "isu", _("the ISU")
    STATE_PARTY = "state_party", _("a State Party")


class Vote(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    ABSTAIN = "abstain", _("abstain")


class Body(models.TextChoices):
    GENERAL_ASSEMBLY = "General Assembly", _("General Assembly")
    FIRST_COMMITTEE = "First Committee", _("First Committee")


class Confidence(models.TextChoices):
    ALLEGED = "alleged", _("alleged")
    DOCUMENTED = "documented", _("documented")
