"""Public pages of meetings (under /meetings/)."""

from django.urls import path

from ccm.meetings import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("presidencies/", views.presidency_list, name="presidencies"),
    path("presidencies/<slug:code>/", views.presidency_page, name="presidency"),
    path("meetings/calendar.ics", views.calendar_feed, name="calendar"),
    path("meetings/<slug:code>/", views.meeting_page, name="meeting"),
    path("meetings/<slug:code>/logo.<str:fmt>", views.meeting_logo, name="logo"),
    path(
        "meetings/<slug:code>/documents/<int:pk>/<str:language>/",
        views.document_file,
        name="document_file",
    ),
]
