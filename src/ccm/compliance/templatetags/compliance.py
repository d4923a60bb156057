"""Badges of the compliance vocabulary, one colour per status (choices.COMPLIANCE_COLOURS)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from ccm.compliance.choices import (
    COMPLIANCE_COLOURS,
    COMPLIANCE_LABELS,
    COMPLIANCE_TEXT_COLOURS,
    EVIDENCE_LABELS,
    KIND_ARTICLES,
    KIND_LABELS,
)
from ccm.compliance.rules import Compliance, Obligation

register = template.Library()


@register.simple_tag
def compliance_badge(o: Obligation) -> SafeString:
    label = str(COMPLIANCE_LABELS[o.status])
    if o.status in (Compliance.LATE, Compliance.OVERDUE) and o.days:
        label += " " + ngettext("(%(n)d day)", "(%(n)d days)", o.days) % {"n": o.days}
    return format_html(
        # text-wrap: a long label ("not in our record (unknown)") wraps at phone width
        '<span class="badge text-wrap ccm-compliance" data-status="{}" '
        'style="background:{};color:{}">'
        "{}</span>",
        o.status.value,
        COMPLIANCE_COLOURS[o.status],
        COMPLIANCE_TEXT_COLOURS[o.status],
        label,
    )


@register.filter
def evidence_label(o: Obligation) -> str:
    return str(EVIDENCE_LABELS.get(o.evidence, o.evidence))


@register.filter
def kind_label(o: Obligation) -> str:
    return str(KIND_LABELS[o.kind])


@register.filter
def kind_article(o: Obligation) -> str:
    return KIND_ARTICLES[o.kind]


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"
