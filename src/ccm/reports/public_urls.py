"""Public pages of structured reports (under /reports/)."""

from django.urls import path

from ccm.reports import public_views

app_name = "reports"
urlpatterns = [
    path("reports/", public_views.report_list, name="list"),
    path("reports/<str:iso3>/<str:kind>/", public_views.report_page, name="initial"),
    path("reports/<str:iso3>/<str:kind>/<int:period>/", public_views.report_page, name="annual"),
    path(
        "reports/<str:iso3>/<str:kind>/changes/",
        public_views.report_changes,
        name="initial_changes",
    ),
    path(
        "reports/<str:iso3>/<str:kind>/<int:period>/changes/",
        public_views.report_changes,
        name="annual_changes",
    ),
]
