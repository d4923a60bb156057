from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "ccm.reporting"
    verbose_name = _("Article 7 reporting")
    default_auto_field = "django.db.models.BigAutoField"
