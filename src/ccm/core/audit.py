"""Write audit events. Services call `record`; nothing else writes the table."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from ccm.core.models import AuditEvent


def record(
    verb: str,
    *,
    by: AbstractBaseUser | AnonymousUser | None = None,
    actor_label: str = "",
    obj: models.Model | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    user = by if by is not None and by.is_authenticated else None
    label = actor_label or (getattr(user, "email", "") or str(user) if user else "")
    return AuditEvent.objects.create(
        actor=user,  # type: ignore[misc]
        actor_label=label[:254],
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary,
        before=before,
        after=after,
        ip=ip,
    )
