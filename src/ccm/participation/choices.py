"""Choices of invitations and delegations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Who is invited to a meeting (Art. 11(3)), in the order of the list of participants."""

    PARTY = "party", _("States Parties")
    SIGNATORY = "signatory", _("signatory States")
    OBSERVER = "observer", _("observer States (not party)")
    UN = "un", _("the United Nations and its agencies")
    ORGANISATION = "io", _("international and regional organisations")
    ICRC = "icrc", _("International Committee of the Red Cross")
    IFRC = "ifrc", _("International Federation of Red Cross and Red Crescent Societies")
    CMC = "cmc", _("Cluster Munition Coalition")
    NGO = "ngo", _("other non-governmental organisations")


STATE_CATEGORIES = (Category.PARTY, Category.SIGNATORY, Category.OBSERVER)


class DelegationStatus(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    SUBMITTED = "submitted", _("submitted, awaiting the ISU")
    CONFIRMED = "confirmed", _("confirmed by the ISU")
    QUERIED = "queried", _("queried by the ISU")


class Source(models.TextChoices):
    """Where the delegation's current version came from (issue #25): the invitee's own link,
    or the ISU entering a note verbale received by e-mail or correcting the delegation."""

    LINK = "link", _("registered by the invitee through its link")
    NOTE_VERBALE = "note", _("entered by the ISU from a note verbale")
    ISU = "isu", _("changed by the ISU")


class Role(models.TextChoices):
    """A member's place in the delegation: the head first."""

    HEAD = "head", _("head of delegation")
    ALTERNATE = "alternate", _("alternate")
    ADVISER = "adviser", _("adviser")


class Gender(models.TextChoices):
    """For the statistics of participation only (the share of women)."""

    WOMAN = "woman", _("woman")
    MAN = "man", _("man")
    OTHER = "other", _("other")
    UNSAID = "unsaid", _("prefers not to say")


class Event(models.TextChoices):
    CREATED = "created", _("invited")
    SENT = "sent", _("letter sent")
    NO_ADDRESS = "no_address", _("no address on record: not sent")
    OPENED = "opened", _("link opened")
    REFUSED = "refused", _("link refused")
    REISSUED = "reissued", _("new link sent")
    REVOKED = "revoked", _("invitation revoked")
