from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings and their documents, the Presidencies and their succession (issue #11)."""

    name = "ccm.meetings"
    verbose_name = _("Meetings and the Presidency")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from ccm.core import reference
        from ccm.meetings import figures, services, todo

        reference.register("meetings", services.load_reference, "in the meetings; none was loaded.")
        todo.register()  # deadlines and work plan, on the staff and Presidency home (#26)
        figures.register_figures()  # the next Meeting, for letters (issue #25)
        checks.register(figures.check_figures)  # every figure a letter may name is provided

        from ccm.meetings import panels

        panels.register_panels()  # the home page's doors to meetings and the logo (issue #26)
