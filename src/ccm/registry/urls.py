from django.urls import path

from ccm.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("states/", views.state_list, name="states"),
    path("states/<str:iso3>/", views.state_page, name="state"),
]
