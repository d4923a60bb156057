"""A focal point's workspace (under /my/reports/)."""

from django.urls import path

from ccm.reports import workspace_views as views

app_name = "workspace"
urlpatterns = [
    path("", views.workspace, name="home"),
    path("<str:iso3>/", views.state_workspace, name="state"),
    path("<str:iso3>/start/", views.start, name="start"),
    path("report/<int:pk>/", views.report_overview, name="report"),
    path("report/<int:pk>/submit/", views.submit, name="submit"),
    path("report/<int:pk>/record/", views.record_received, name="record"),
    path("report/<int:pk>/workbook/", views.workbook, name="workbook"),
    path("report/<int:pk>/queries/", views.raise_query, name="raise_query"),
    path("report/<int:pk>/delegate/", views.delegate, name="delegate"),
    path("delegation/<int:pk>/revoke/", views.revoke_delegation, name="revoke_delegation"),
    path("delegation/<str:token>/", views.open_delegation, name="delegation"),
    path("query/<int:pk>/reply/", views.reply_query, name="reply_query"),
    path("query/<int:pk>/close/", views.close_query, name="close_query"),
    path("report/<int:pk>/amend/", views.amend, name="amend"),
    path("report/<int:pk>/form/<str:code>/", views.edit_form, name="form"),
    path("report/<int:pk>/form/<str:code>/carry/", views.carry, name="carry"),
    path("report/<int:pk>/form/<str:code>/finished/", views.finish_form, name="finish_form"),
]
