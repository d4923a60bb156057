"""The invitee's registration (public, reached by its personal link)."""

from django.urls import path

from ccm.participation import views

app_name = "participation"
urlpatterns = [
    path("register/", views.registration, name="registration"),
    path("register/new-link/", views.new_link, name="new_link"),
    path("register/<str:token>/", views.open_link, name="link"),
]
