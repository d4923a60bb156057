"""Universalization in the admin: the votes, targets and register are read here; they change
through the ISU's pages (imports and entries with their sources) and the reference data.
Outreach records change only through the outreach pages (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ccm.outreach.models import MembershipTarget, Resolution, UseReport


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Resolution)
class ResolutionAdmin(ReadOnly):
    list_display = ["code", "body", "year", "voted_on", "yes", "no", "abstain"]
    list_filter = ["body", "year"]


@admin.register(UseReport)
class UseReportAdmin(ReadOnly):
    list_display = ["country", "started_on", "ended_on", "confidence", "source"]
    list_filter = ["confidence"]


@admin.register(MembershipTarget)
class MembershipTargetAdmin(ReadOnly):
    list_display = ["name", "target", "by"]
