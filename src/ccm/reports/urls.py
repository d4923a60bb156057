"""Staff pages of the record of reports (under /staff/reporting/, namespace staff:reporting)."""

from django.urls import path

from ccm.reports import views

urlpatterns = [
    path("import/", views.import_register, name="import"),
    path("checks/", views.cross_year_findings, name="findings"),
    path("queries/", views.queries, name="queries"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
]
