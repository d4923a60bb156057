"""What universalization contributes to the figures letters quote (core.figures, issue #25): the
latest vote of the UN General Assembly on the Convention's resolution held by the letter's date,
with its official totals (as published; the per-State record is compared with them)."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core.figures import Figure, Provider, register
from ccm.outreach import selectors

LABELS = {
    "GA vote": gettext_lazy("the latest General Assembly vote: yes, no and abstentions"),
    "GA yes": gettext_lazy("the latest General Assembly vote: votes in favour"),
    "GA no": gettext_lazy("the latest General Assembly vote: votes against"),
    "GA abstentions": gettext_lazy("the latest General Assembly vote: abstentions"),
    "GA resolution": gettext_lazy("the latest General Assembly vote: the resolution's symbol"),
    "GA date": gettext_lazy("the latest General Assembly vote: its date"),
}


def latest_vote(as_of: date, language: str) -> dict[str, Figure]:
    found = selectors.latest_assembly_vote(as_of)
    day = date_format(as_of, "DATE_FORMAT")
    if found is None:
        source = _(
            "outreach.selectors.latest_assembly_vote: no vote of the General Assembly on or "
            "before %(day)s in the record"
        ) % {"day": day}
        return {name: Figure(None, source, as_of) for name in LABELS}
    vote = found.resolution
    assert vote.voted_on is not None  # the selector reads dated votes only
    source = _(
        "outreach.selectors.latest_assembly_vote: the latest vote of the General Assembly on or "
        "before %(day)s, %(symbol)s of %(voted)s; official totals from: %(source)s"
    ) % {
        "day": day, "symbol": vote.symbol or vote.code,
        "voted": date_format(vote.voted_on, "DATE_FORMAT"),
        "source": vote.source or _("(no source recorded)"),
    }  # fmt: skip
    official = vote.official
    recorded = {k: localize(v) for k, v in found.recorded.items()}
    note = ""
    if found.mismatch:
        note = (
            _(
                "the per-State record counts %(yes)s/%(no)s/%(abstain)s; the letter quotes the "
                "official totals"
            )
            % recorded
        )
    if official is None:
        totals = dict.fromkeys(("GA vote", "GA yes", "GA no", "GA abstentions"))
        note = _("the official totals of this vote are not in the record")
        if found.has_votes:  # a help to find them, never quoted in their place
            note = (
                _(
                    "the official totals of this vote are not in the record (the per-State record "
                    "counts %(yes)s/%(no)s/%(abstain)s)"
                )
                % recorded
            )
    else:
        yes, no, abstain = (localize(official[k]) for k in ("yes", "no", "abstain"))
        totals = {
            "GA vote": _("%(yes)s in favour, %(no)s against and %(abstain)s abstentions")
            % {"yes": yes, "no": no, "abstain": abstain},
            "GA yes": yes, "GA no": no, "GA abstentions": abstain,
        }  # fmt: skip
    out = {name: Figure(value, source, as_of, note) for name, value in totals.items()}
    out["GA resolution"] = Figure(vote.symbol or None, source, as_of)
    out["GA date"] = Figure(date_format(vote.voted_on, "DATE_FORMAT"), source, as_of)
    return out


def register_figures() -> None:
    register(Provider("outreach", LABELS, latest_vote))
