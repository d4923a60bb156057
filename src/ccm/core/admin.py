from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ccm.core import audit, mail
from ccm.core.models import AuditEvent, EmailStatus, OutgoingEmail


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by services only: shown, never added, edited or deleted here."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is written by services, never edited."""

    list_display = ["at", "actor_label", "verb", "object_type", "object_id", "summary"]
    list_filter = ["verb", "object_type"]
    search_fields = ["actor_label", "object_id", "summary"]
    date_hierarchy = "at"


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    """Read-only: the outbox is written by services and the sender. Staff resolve an uncertain
    message (cut off mid-send) after checking with the mail server, by one of the actions."""

    list_display = ["created_at", "purpose", "recipients", "subject", "status", "attempts"]
    list_filter = ["status", "purpose"]
    search_fields = ["subject", "to", "last_error"]
    date_hierarchy = "created_at"
    exclude = ["attachments"]
    readonly_fields = ["attachment_names"]
    actions = ["mark_sent", "send_again"]

    @admin.display(description=_("to"))
    def recipients(self, obj: OutgoingEmail) -> str:
        return ", ".join(obj.to)

    @admin.display(description=_("attachments"))
    def attachment_names(self, obj: OutgoingEmail) -> str:
        return ", ".join(a["filename"] for a in obj.attachments)

    def _resolve(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail], sent: bool) -> None:
        done = 0
        for email in queryset.filter(status__in=[EmailStatus.UNCERTAIN, EmailStatus.FAILED]):
            mail.resolve_uncertain(email, sent=sent, by=request.user)
            done += 1
        if done < queryset.count():
            self.message_user(
                request,
                _("Only uncertain or failed e-mails can be resolved; the others were left."),
                messages.WARNING,
            )
        if done:
            self.message_user(request, _("%(n)d e-mail(s) updated.") % {"n": done})

    @admin.action(description=_("Checked: the mail server accepted them (mark as sent)"))
    def mark_sent(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        self._resolve(request, queryset, sent=True)

    @admin.action(description=_("Checked: they were not received (queue them again)"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        self._resolve(request, queryset, sent=False)


class AuditedAdmin(SimpleHistoryAdmin):
    """Saves and deletions leave an audit event besides the model's history."""

    def save_model(
        self, request: HttpRequest, obj: Model, form: forms.ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        verb = "changed" if change else "created"
        audit.record(
            f"{obj._meta.model_name}.{verb}",
            by=request.user,
            obj=obj,
            summary=str(obj),
            after={f: str(form.cleaned_data.get(f)) for f in form.changed_data},
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit.record(f"{obj._meta.model_name}.deleted", by=request.user, obj=obj, summary=str(obj))
        super().delete_model(request, obj)
