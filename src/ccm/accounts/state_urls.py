"""One view of a State (under /staff/states/, namespace staff:states; issue #26)."""

from django.urls import path

from ccm.accounts import state_views

urlpatterns = [
    path("", state_views.index, name="index"),
    path("<str:iso3>/", state_views.state, name="state"),
]
