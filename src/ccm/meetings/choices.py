"""Choices of meetings and their documents."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    # In context: French and Spanish agree the word with "item" (un point prévu), not with
    # "meeting" (une réunion prévue).
    PLANNED = "planned", pgettext_lazy("work-plan item", "planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("work-plan item", "in progress")
    DONE = "done", pgettext_lazy("work-plan item", "done")
    DROPPED = "dropped", pgettext_lazy("work-plan item", "dropped")


class DeadlineKind(models.TextChoices):
    NOTES_VERBALES = "notes_verbales", _("notes verbales on the delegation due")
    REGISTRATION = "registration", _("registration closes")
    DOCUMENTS = "documents", _("documents due")
    SIDE_EVENTS = "side_events", _("side-event requests due")


class Presence(models.TextChoices):
    PRESENT = "present", _("present")
    APOLOGIES = "apologies", _("apologies")


class SuccessionStage(models.TextChoices):
    """Where the consultations on the next Presidency stand (rules.succession_stage)."""

    NOT_OPEN = "not_open", _("consultations not yet open")
    OPEN = "open", _("consultations open, no volunteer yet")
    VOLUNTEERED = "volunteered", _("volunteers have come forward")
    CONSULTING = "consulting", _("consultations under way")
    DESIGNATED = "designated", _("designated")
