"""Roles. A user has one role; a focal point is scoped to its State or States."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ISU_STAFF = "isu_staff", _("ISU staff")
    PRESIDENCY = "presidency", _("Presidency")
    FOCAL_POINT = "focal_point", _("National focal point")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("account"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    states = models.ManyToManyField(
        "registry.State",
        blank=True,
        related_name="focal_point_profiles",
        verbose_name=_("States"),
        help_text=_("Focal points see and change only what belongs to these States."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    history = HistoricalRecords(m2m_fields=[states])

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        try:
            user = str(self.user)
        except ObjectDoesNotExist:  # a history row naming an account deleted since (issue #32)
            user = f"#{self.user_id}"
        return f"{user} ({self.get_role_display()})"
