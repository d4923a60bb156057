"""Staff and Presidency pages of meetings (under /staff/meetings/, namespace staff:meetings)."""

from django.urls import path

from ccm.meetings import staff_views

urlpatterns = [
    path("<slug:code>/work-plan/", staff_views.work_plan, name="work_plan"),
    path("work-plan/<int:pk>/status/", staff_views.item_status, name="item_status"),
]
