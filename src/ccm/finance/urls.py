"""Public pages of finance: the published statuses of contributions, and an invoice's PDF for
those who may read it."""

from django.urls import path

from ccm.finance import meeting_cost_views, views

app_name = "finance"
urlpatterns = [
    path("contributions/", views.contributions, name="contributions"),
    path("contributions/<str:kind>/<str:key>/", views.contribution, name="contribution"),
    path("finance/invoices/<int:pk>.pdf", views.invoice_pdf, name="invoice_pdf"),
    # A formal meeting's cost-share table, once published (issue #25)
    path("finance/meeting-costs/<slug:code>/", meeting_cost_views.cost_share, name="cost_share"),
    path(
        "finance/meeting-costs/<slug:code>/cost-shares.csv",
        meeting_cost_views.cost_share_public_file,
        {"fmt": "csv"},
        name="cost_share_csv",
    ),
    path(
        "finance/meeting-costs/<slug:code>/cost-shares.pdf",
        meeting_cost_views.cost_share_public_file,
        {"fmt": "pdf"},
        name="cost_share_pdf",
    ),
]
