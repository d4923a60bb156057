"""Public pages of finance: the published statuses of contributions, and an invoice's PDF for
those who may read it."""

from django.urls import path

from ccm.finance import views

app_name = "finance"
urlpatterns = [
    path("contributions/", views.contributions, name="contributions"),
    path("contributions/<str:kind>/<str:key>/", views.contribution, name="contribution"),
    path("finance/invoices/<int:pk>.pdf", views.invoice_pdf, name="invoice_pdf"),
]
