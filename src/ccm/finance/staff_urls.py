"""The ISU's pages of finance (under /staff/finance/, namespace staff:finance)."""

from django.urls import path

from ccm.finance import meeting_cost_views, staff_views, views

urlpatterns = [
    path("", views.index, name="index"),
    path("assess/", views.assess, name="assess"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("invoices/<int:pk>/", views.invoice, name="invoice"),
    path("payments/", views.payments, name="payments"),
    path("payments/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("payments/<int:pk>/reverse/", views.reverse_payment, name="reverse"),
    path("status/<str:kind>/<str:key>/", views.status, name="status"),
    path(
        "status/<str:kind>/<str:key>/contributions.xlsx",
        views.status,
        {"fmt": "xlsx"},
        name="status_xlsx",
    ),
    path(
        "status/<str:kind>/<str:key>/contributions.pdf",
        views.status,
        {"fmt": "pdf"},
        name="status_pdf",
    ),
    path("meetings/<slug:code>/cash/", views.cash, name="cash"),
    path("appeal.pdf", views.appeal, name="appeal"),
    # issue #25: rates with their sources, settings, ledgers, write-offs
    path("rates/", staff_views.rates, name="rates"),
    path("settings/", staff_views.settings_page, name="settings"),
    path("ledger/<str:iso3>/", staff_views.ledger, name="ledger"),
    path("invoices/<int:pk>/write-off/", staff_views.write_off, name="write_off"),
    # Meeting costs through the UN (issue #25)
    path("meetings/<slug:code>/cost-shares/", meeting_cost_views.cost_shares, name="cost_shares"),
    path(
        "meetings/<slug:code>/cost-shares.<str:fmt>",
        meeting_cost_views.cost_share_file,
        name="cost_share_file",
    ),
    path("meetings/<slug:code>/un/", meeting_cost_views.un_records, name="un_records"),
]
