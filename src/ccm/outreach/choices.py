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


class Ask(models.TextChoices):
    """What a démarche letter asks of a State, by its stage on the letter's date (issue #25)."""

    SIGN_AND_RATIFY = "sign_and_ratify", _("sign and ratify")
    RATIFY = "ratify", _("ratify")
    ACCEDE = "accede", _("accede")
    REJOIN = "rejoin", _("become a party again")


def ask_paragraph(ask: str) -> str:
    """The standard request of a démarche letter by stage (issue #25), in the active language
    (through the catalogues): the letter's `{ask}`, or its closing request."""
    from django.utils.translation import gettext

    texts = {
        "sign_and_ratify": gettext(
            "We therefore encourage your Government to sign the Convention on Cluster Munitions "
            "while it is open for signature and to ratify it as soon as possible."
        ),
        "ratify": gettext(
            "As a signatory of the Convention on Cluster Munitions, your Government is "
            "encouraged to ratify it as soon as possible."
        ),
        "accede": gettext(
            "We therefore encourage your Government to accede to the Convention on Cluster "
            "Munitions as soon as possible."
        ),
        "rejoin": gettext(
            "We encourage your Government to consider becoming a State Party to the Convention "
            "on Cluster Munitions again."
        ),
    }
    return texts[ask]
