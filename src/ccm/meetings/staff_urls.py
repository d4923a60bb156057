"""Staff and Presidency pages of meetings (under /staff/meetings/, namespace staff:meetings)."""

from django.urls import path

from ccm.meetings import presidency_views as p
from ccm.meetings import staff_views

urlpatterns = [
    path("", staff_views.meeting_list, name="meetings"),
    path("new/", staff_views.meeting_new, name="meeting_new"),
    path("<slug:code>/", staff_views.meeting_edit, name="meeting"),
    path("<slug:code>/documents/", staff_views.documents, name="documents"),
    path("<slug:code>/logo/", p.logo_page, name="logo"),
    path("<slug:code>/work-plan/", staff_views.work_plan, name="work_plan"),
    path("<slug:code>/work-plan/report/", p.progress_report, name="progress_report"),
    path("work-plan/<int:pk>/status/", staff_views.item_status, name="item_status"),
    path("<slug:code>/desk/", p.desk, name="desk"),
    path("<slug:code>/succession/open/", p.open_succession, name="open_succession"),
    path("<slug:code>/succession/", p.succession, name="succession"),
    path("succession/volunteer/<int:pk>/letter/", p.volunteer_letter, name="volunteer_letter"),
    path("<slug:code>/coordination/", p.coordination, name="coordination"),
    path("coordination/<slug:code>/", p.coordination_meeting, name="coordination_meeting"),
    path("coordination/<slug:code>/minutes/", p.minutes_file, name="minutes_file"),
    path("<slug:code>/letters/", p.letter_list, name="letters"),
    path("letters/<int:pk>/", p.letter, name="letter"),
    path("letters/<int:pk>/states/", p.letter_to_states, name="letter_to_states"),
    path("letters/<int:pk>/<str:language>/", p.letter_language, name="letter_language"),
]
