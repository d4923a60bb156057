"""Universalization records (issue #14). Outreach (positions, intentions, stages, the log and
campaigns) is private to the ISU, the Presidency and the universalization coordinators; the
votes, the register of use and the targets are public, each fact with its source."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.outreach.choices import Actor, Body, Channel, Confidence, Position, Stage, Vote
from ccm.registry.models import State

LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]


def _by() -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class PositionFact(models.Model):
    """What a source says of a State not party: it stockpiles, produces, has used or is affected
    (or, `holds` false, that it no longer does). The latest fact of each kind is current."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("State")
    )
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    holds = models.BooleanField(_("holds"), default=True)
    as_of = models.DateField(_("as of"))
    source = models.TextField(_("source"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _by()

    class Meta:
        ordering = ["state", "position", "-as_of", "-pk"]

    def __str__(self) -> str:
        return f"{self.state_id} {self.position} {self.holds} ({self.as_of})"


class Intention(models.Model):
    """An intention a State not party stated ("decided to accede"), with date and source."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("State")
    )
    stated_on = models.DateField(_("stated on"))
    text = models.TextField(_("what it said"))
    source = models.TextField(_("source"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _by()

    class Meta:
        ordering = ["state", "-stated_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.state_id} {self.stated_on}"


class StageChange(models.Model):
    """A State not party moved to a stage of the pipeline on a date (by hand; the deposit of an
    instrument is read from the registry)."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("State")
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    since = models.DateField(_("since"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _by()

    class Meta:
        ordering = ["state", "-since", "-pk"]

    def __str__(self) -> str:
        return f"{self.state_id} {self.stage} since {self.since}"


class Campaign(models.Model):
    """A démarche campaign: target States chosen by filters, a letter from a template in
    English, French and Spanish, each letter logged as sent, replies and next steps followed."""

    title = models.CharField(_("title"), max_length=200)
    filters = models.JSONField(_("filters"), default=dict)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    subject_fr = models.CharField(_("subject (French)"), max_length=200, blank=True)
    subject_es = models.CharField(_("subject (Spanish)"), max_length=200, blank=True)
    body_en = models.TextField(_("letter (English)"))
    body_fr = models.TextField(_("letter (French)"), blank=True)
    body_es = models.TextField(_("letter (Spanish)"), blank=True)
    # Issue #25: the day the States were chosen as of (their stage on that day is stored with
    # each target); empty for a campaign made before it was recorded.
    as_of = models.DateField(_("States chosen as of"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _by()

    class Meta:
        verbose_name = _("démarche campaign")
        verbose_name_plural = _("démarche campaigns")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """One State of a campaign: its letter's language, when the letter was sent."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=2, choices=LANGUAGES, default="en")
    # The State's treaty status on the campaign's as-of date (registry: "signatory",
    # "not_signed", "withdrawn"): what its letter asks follows from it; empty when unknown.
    stage = models.CharField(_("stage as of the campaign's date"), max_length=12, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "state__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "state"], name="outreach_target_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.state_id}"


class Outreach(models.Model):
    """One contact with a State not party: date, channel, by whom, the people met, the outcome,
    and the next step with its owner and due date (closed when done)."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("State")
    )
    on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    actor = models.CharField(_("by"), max_length=12, choices=Actor.choices)
    actor_state = models.ForeignKey(
        State,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("acting State (a coordinator or a State Party)"),
    )
    people = models.TextField(_("people met"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_owner = models.CharField(_("owner of the next step"), max_length=120, blank=True)
    next_due = models.DateField(_("next step due"), null=True, blank=True)
    next_done_on = models.DateField(_("next step done on"), null=True, blank=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="log"
    )
    reply = models.BooleanField(_("a reply from the State"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _by()

    class Meta:
        verbose_name = _("outreach")
        verbose_name_plural = _("outreach")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.state_id} {self.on} {self.channel}"


class Resolution(models.Model):
    """A vote on the yearly UN General Assembly resolution (or its First Committee draft), with
    the official totals and their source; the per-State votes are `votes`."""

    code = models.CharField(_("symbol"), max_length=40, unique=True)  # symbol, or body+session
    symbol = models.CharField(_("symbol"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    session = models.PositiveSmallIntegerField(_("session"))
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    voted_on = models.DateField(_("date"), null=True, blank=True)
    yes = models.PositiveSmallIntegerField(_("yes"), null=True, blank=True)
    no = models.PositiveSmallIntegerField(_("no"), null=True, blank=True)
    abstain = models.PositiveSmallIntegerField(_("abstain"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source of the official totals"), blank=True)
    votes_source = models.TextField(_("source of the per-State votes"), blank=True)
    explanation = models.TextField(_("explanation of a difference"), blank=True)
    explanation_source = models.TextField(blank=True)

    class Meta:
        verbose_name = _("UN General Assembly vote")
        verbose_name_plural = _("UN General Assembly votes")
        ordering = ["-year", "body", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def official(self) -> dict[str, int] | None:
        if self.yes is None or self.no is None or self.abstain is None:
            return None
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain}


class StateVote(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="votes")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(max_length=7, choices=Vote.choices)
    note = models.CharField(max_length=300, blank=True)  # e.g. recorded under another name

    class Meta:
        ordering = ["resolution", "state"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "state"], name="outreach_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.resolution_id} {self.state_id} {self.vote}"


class UseReport(models.Model):
    """A reported use of cluster munitions: when, where, by whom where attributed, how sure the
    source is; the system states its source and asserts nothing beyond it."""

    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    country = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("country where used")
    )
    user = models.ForeignKey(
        State,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user, where attributed"),
    )
    user_text = models.CharField(
        _("user (non-State or as the source names it)"), max_length=200, blank=True
    )
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices)
    source = models.TextField(_("source document"))
    link = models.URLField(_("link"), blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _by()

    class Meta:
        verbose_name = _("reported use")
        verbose_name_plural = _("reported use")
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.country_id} {self.started_on}"


class Contamination(models.Model):
    """A public source saying a State is (or is no longer) contaminated by cluster munition
    remnants, as of a date."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("State")
    )
    contaminated = models.BooleanField(_("contaminated"), default=True)
    as_of = models.DateField(_("as of"))
    source = models.TextField(_("source"))
    link = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _by()

    class Meta:
        ordering = ["state", "-as_of", "-pk"]

    def __str__(self) -> str:
        return f"{self.state_id} {self.contaminated} ({self.as_of})"


class MembershipTarget(models.Model):
    """A target number of States Parties by a date, set by an action plan (with its source)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    target = models.PositiveSmallIntegerField(_("target"))
    by = models.DateField(_("by"))
    source = models.TextField(_("source"))

    class Meta:
        ordering = ["by"]

    def __str__(self) -> str:
        return f"{self.name}: {self.target} by {self.by}"
