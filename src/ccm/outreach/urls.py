"""Public pages of universalization."""

from django.urls import path

from ccm.outreach import views

app_name = "outreach"
urlpatterns = [
    path("universalization/", views.universalization, name="home"),
    path("universalization/votes/", views.votes, name="votes"),
    path("universalization/votes/<path:code>/", views.vote, name="vote"),
    path("universalization/use/", views.use, name="use"),
]
