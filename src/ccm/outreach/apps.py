from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """Universalization: outreach to States not party, démarche campaigns, the UN General
    Assembly votes, and the register of use and contamination (issue #14)."""

    name = "ccm.outreach"
    verbose_name = _("Universalization")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccm.core import reference
        from ccm.outreach import figures, panels, services, todo

        reference.register("outreach", services.load_reference, "in the votes; none was loaded.")
        panels.register_panels()
        todo.register()  # next steps due, on the staff home (issue #26)
        figures.register_figures()  # the latest General Assembly vote, for letters (issue #25)
