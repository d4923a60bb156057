"""What the registry contributes to the figures letters quote (core.figures, issue #25): the
number of States Parties and of signatories on a date, counted as the registry's lists and the
membership chart count them (registry.selectors.counts_on), from the treaty actions."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core.figures import Figure, Provider, register
from ccm.registry import selectors

LABELS = {
    "States Parties": gettext_lazy("States Parties on the letter's date"),
    "signatories": gettext_lazy("signatories (signed, not yet ratified) on the letter's date"),
}


def membership(as_of: date, language: str) -> dict[str, Figure]:
    counts = selectors.counts_on(as_of)
    source = _(
        "the treaty actions in the registry (signatures, deposits, withdrawals; shipped from "
        "ccm_membership.csv), counted by registry.selectors.counts_on on %(day)s"
    ) % {"day": date_format(as_of, "DATE_FORMAT")}
    note = ""
    if counts.in_force != counts.parties:
        note = _("the Convention is in force for %(n)s of them (Art. 17)") % {
            "n": localize(counts.in_force)
        }
    return {
        "States Parties": Figure(localize(counts.parties), source, as_of, note),
        "signatories": Figure(localize(counts.signatories), source, as_of),
    }


def register_figures() -> None:
    register(Provider("registry", LABELS, membership))
