from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Invitations bound to the invitee, delegations, the list of participants and badges
    (issue #12)."""

    name = "ccm.participation"
    verbose_name = _("Invitations and participation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccm.participation import panels

        panels.register_panels()
