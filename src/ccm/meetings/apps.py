from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings and their documents, the Presidencies and their succession (issue #11)."""

    name = "ccm.meetings"
    verbose_name = _("Meetings and the Presidency")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccm.core import reference
        from ccm.meetings import services

        reference.register("meetings", services.load_reference, "in the meetings; none was loaded.")
