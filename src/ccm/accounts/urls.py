from django.urls import path

from ccm.accounts import views

app_name = "my"
urlpatterns = [
    path("", views.home, name="home"),
    path("todo/<str:key>/", views.todo_list, name="todo"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/<int:pk>/invite/", views.invite, name="invite"),
    path("contacts/<int:pk>/mine/", views.edit_own_contact, name="own_contact"),
]
