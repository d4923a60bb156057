"""Staff pages of compliance (under /staff/reporting/, namespace staff:reporting)."""

from django.urls import path

from ccm.compliance import staff_views

urlpatterns = [
    path("letters/", staff_views.letters_index, name="letters"),
    path("declared/", staff_views.declared_holdings, name="declared"),
    path("letters/circular/", staff_views.circular, name="circular"),
    path("letters/reminder/<str:iso3>/", staff_views.reminder, name="reminder"),
]
