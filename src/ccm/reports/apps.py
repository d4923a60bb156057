from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The record of Article 7 reports received. Its label stays "reporting", the app's name
    before issue #8 split it from compliance: the database tables, migrations, permissions and
    admin addresses (/admin/reporting/submission/) keep their names."""

    name = "ccm.reports"
    label = "reporting"
    verbose_name = _("Article 7 reports received")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccm.core import reference
        from ccm.reports import panels, services, todo

        panels.register_panels()
        todo.register()  # open queries and findings to review, on the staff home (issue #26)
        reference.register(
            "reports", services.load_reference, "in the reports received; none was loaded."
        )
