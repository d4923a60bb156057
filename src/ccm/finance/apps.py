from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """Assessments on the adjusted UN scale, invoices, payments and arrears (issue #13)."""

    name = "ccm.finance"
    verbose_name = _("Finance")
    default_auto_field = "django.db.models.BigAutoField"
