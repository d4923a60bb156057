from django.urls import path

from ccm.compliance import views

app_name = "reporting"
urlpatterns = [
    path("reporting/", views.compliance_dashboard, name="dashboard"),
    path("states/<str:iso3>/deadlines.ics", views.state_calendar, name="calendar"),
]
