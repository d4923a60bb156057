from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """Assessments on the adjusted UN scale, invoices, payments and arrears (issue #13)."""

    name = "ccm.finance"
    verbose_name = _("Finance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccm.core import reference
        from ccm.finance import panels, services, todo

        reference.register("finance", services.load_reference, "in the scale; none was loaded.")
        panels.register_panels()
        todo.register()  # invoices overdue, payments to allocate: staff home (issue #26)
