"""Choices of meetings and their documents."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    MSP = "MSP", _("Meeting of States Parties")  # Art. 11
    RC = "RC", _("Review Conference")  # Art. 12
    PREPARATORY = "PM", _("preparatory meeting")
    INTERSESSIONAL = "IM", _("intersessional meeting")
    COORDINATION = "CC", _("Coordination Committee meeting")
    REGIONAL = "REG", _("regional seminar or workshop")
    ROUND_TABLE = "RT", _("round table")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    VIRTUAL = "virtual", _("virtual")
    HYBRID = "hybrid", _("hybrid")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CONVENED = "convened", _("convened")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("agenda")
    PROGRAMME = "programme", _("programme of work")
    RULES = "rules", _("rules of procedure")
    WORKING_PAPER = "working_paper", _("working paper")
    COST_ESTIMATE = "cost_estimate", _("cost estimate")
    PROGRESS_REPORT = "progress_report", _("progress report")
    FINAL_REPORT = "final_report", _("final report")
    OTHER = "other", _("other document")


class Owner(models.TextChoices):
    """Who carries out a work-plan item."""

    PRESIDENCY = "presidency", _("the Presidency")
    COORDINATOR = "coordinator", _("a thematic coordinator")
    ISU = "isu", _("the ISU")
    STATE = "state", _("a State")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")
