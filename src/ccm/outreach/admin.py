"""Universalization in the admin: the votes, targets and register are read here; they change
through the ISU's pages (imports and entries with their sources) and the reference data.
Outreach records change only through the outreach pages (audited)."""

from __future__ import annotations

from django.contrib import admin

from ccm.core.admin import ReadOnlyAdmin
from ccm.outreach.models import MembershipTarget, Resolution, UseReport


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ["code", "body", "year", "voted_on", "yes", "no", "abstain"]
    list_filter = ["body", "year"]


@admin.register(UseReport)
class UseReportAdmin(ReadOnlyAdmin):
    list_display = ["country", "started_on", "ended_on", "confidence", "source"]
    list_filter = ["confidence"]


@admin.register(MembershipTarget)
class MembershipTargetAdmin(ReadOnlyAdmin):
    list_display = ["name", "target", "by"]
