from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from ccm.accounts import services
from ccm.accounts.models import Profile
from ccm.registry.admin import ContactAdmin
from ccm.registry.models import Contact

# Authenticators hold TOTP secrets: no staff member reads or edits another's (issue #7). Staff
# reset a person's two-factor from the profile instead, audited.
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "language", "two_factor"]
    list_filter = ["role"]
    search_fields = ["user__email"]
    filter_horizontal = ["states"]
    autocomplete_fields = ["user"]
    actions = ["reset_two_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Profile]:
        return super().get_queryset(request).select_related("user")

    @admin.display(boolean=True, description=_("two-factor set up"))
    def two_factor(self, obj: Profile) -> bool:
        return Authenticator.objects.filter(
            user_id=obj.user_id, type=Authenticator.Type.TOTP
        ).exists()

    @admin.action(description=_("Reset two-factor authentication (a new app at next sign-in)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        for profile in queryset.select_related("user"):
            services.reset_two_factor(profile.user, by=request.user)  # type: ignore[arg-type]
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(n)d account.",
                "Two-factor authentication reset for %(n)d accounts.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )


class InvitingContactAdmin(ContactAdmin):
    """The registry's contacts, with the invitation that accounts adds (issue #8: the registry
    does not know accounts exist)."""

    actions = ["invite"]

    @admin.action(description=_("Invite the selected contacts as focal points (e-mail)"))
    def invite(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        sent = 0
        for contact in queryset.select_related("state"):
            try:
                services.invite_focal_point(contact=contact, by=request.user)  # type: ignore[arg-type]
                sent += 1
            except ValidationError as exc:
                self.message_user(request, f"{contact}: {' '.join(exc.messages)}", messages.ERROR)
        if sent:
            self.message_user(request, _("%(n)d invitation(s) sent.") % {"n": sent})


admin.site.unregister(Contact)
admin.site.register(Contact, InvitingContactAdmin)


class KeepingUserAdmin(UserAdmin):
    """Django's user admin, but deleting goes through `services.delete_user`: an account that
    made records naming it (payments, changes in the history) is refused, with the way to
    deactivate it instead (issue #32)."""

    actions = ["deactivate"]

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The confirmation page (of one account or of the bulk action) refuses when `protected`
        # is not empty, and lists it: our reasons first, pointing to deactivation.
        by: Any = request.user
        kept = [why for why in (services.why_kept(user, by=by) for user in objs) if why]
        if not kept:
            return deleted, counts, perms_needed, protected
        # Shown instead of "no permission to delete payments", which would not say what to do.
        return deleted, counts, set(), kept + list(protected)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        services.delete_user(obj, by=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.delete_user(user, by=request.user)  # type: ignore[arg-type]

    @admin.action(description=_("Deactivate the selected accounts (they can no longer sign in)"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        done = 0
        for user in queryset:
            try:
                services.deactivate_user(user, by=request.user)  # type: ignore[arg-type]
                done += 1
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext("%(n)d account deactivated.", "%(n)d accounts deactivated.", done)
                % {"n": done},
                messages.SUCCESS,
            )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, KeepingUserAdmin)
