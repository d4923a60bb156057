from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from ccm.accounts.staff_urls import urlpatterns as contacts_staff
from ccm.accounts.state_urls import urlpatterns as states_staff
from ccm.accounts.views import activate_totp, managed_by_isu, view_recovery_codes
from ccm.compliance.staff_urls import urlpatterns as compliance_staff
from ccm.core.views import health
from ccm.finance.staff_urls import urlpatterns as finance_staff
from ccm.meetings.staff_urls import urlpatterns as meetings_staff
from ccm.outreach.staff_urls import urlpatterns as outreach_staff
from ccm.participation.staff_urls import urlpatterns as participation_staff
from ccm.reports.urls import urlpatterns as reports_staff

admin.site.site_header = "CCM ISU"
admin.site.site_title = "CCM ISU"

handler400 = "ccm.core.views.bad_request"
handler500 = "ccm.core.views.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
]
urlpatterns += i18n_patterns(
    # Issue #8 moved these records from the reporting app to compliance: old links still work.
    re_path(
        r"^admin/reporting/(?P<rest>(holding|retentiondeclaration|extensionrequest|reminderlog)/.*)$",
        RedirectView.as_view(url="/admin/compliance/%(rest)s", permanent=True, query_string=True),
    ),
    path("admin/", admin.site.urls),
    # Before allauth's: addresses and two-factor are changed by the ISU, not by their owners.
    path("accounts/email/", managed_by_isu, {"what": "email"}, name="account_email"),
    path(
        "accounts/2fa/totp/deactivate/",
        managed_by_isu,
        {"what": "two_factor"},
        name="mfa_deactivate_totp",
    ),
    # allauth's two-factor set-up, keeping where the person was going (issue #26).
    path("accounts/2fa/totp/activate/", activate_totp, name="mfa_activate_totp"),
    path("accounts/2fa/recovery-codes/", view_recovery_codes, name="mfa_view_recovery_codes"),
    path("accounts/", include("allauth.urls")),
    path("my/reports/", include("ccm.reports.workspace_urls")),
    path("my/", include("ccm.accounts.urls")),
    path(
        "staff/",
        include(
            (
                [
                    # One namespace, staff:reporting, for the pages of both apps.
                    path(
                        "reporting/",
                        include((reports_staff + compliance_staff, "reporting")),
                    ),
                    path("contacts/", include((contacts_staff, "contacts"))),
                    path("meetings/", include((meetings_staff, "meetings"))),
                    path("participation/", include((participation_staff, "participation"))),
                    path("finance/", include((finance_staff, "finance"))),
                    path("outreach/", include((outreach_staff, "outreach"))),
                    # One view of a State, composed of panels (issue #26)
                    path("states/", include((states_staff, "states"))),
                ],
                "staff",
            )
        ),
    ),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("ccm.compliance.urls")),
    path("", include("ccm.reports.public_urls")),
    path("", include("ccm.meetings.urls")),
    path("", include("ccm.participation.urls")),
    path("", include("ccm.finance.urls")),
    path("", include("ccm.outreach.urls")),
    path("", include("ccm.registry.urls")),
    prefix_default_language=False,
)
