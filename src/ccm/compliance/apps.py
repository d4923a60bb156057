from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    """Arts. 3, 4 and 7 obligations: deadline rules, the engine, dashboard, letters, reminders."""

    name = "ccm.compliance"
    verbose_name = _("Article 7 reporting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ccm.compliance import figures, panels, rules, services, todo
        from ccm.core import reference
        from ccm.reports import services as reports

        reports.use_deadline_rule(rules.report_due)
        panels.register_panels()
        todo.register()  # reports certainly overdue, on the staff home (issue #26)
        figures.register_figures()  # reports missing and the next deadline, for letters (#25)
        reference.register(
            "compliance",
            services.load_reference,
            "in the declared stockpiles and contamination; none was loaded.",
        )
