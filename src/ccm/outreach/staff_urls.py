"""The private pages of universalization (under /staff/outreach/, namespace staff:outreach)."""

from django.urls import path

from ccm.outreach import staff_views

urlpatterns = [
    path("", staff_views.index, name="index"),
    path("states/<str:iso3>/", staff_views.state, name="state"),
    path("campaigns/", staff_views.campaigns, name="campaigns"),
    path("campaigns/new/", staff_views.new_campaign, name="new_campaign"),
    path("campaigns/<int:pk>/", staff_views.campaign, name="campaign"),
    path("votes/import/", staff_views.import_votes, name="import_votes"),
    path("register/", staff_views.register, name="register"),
]
