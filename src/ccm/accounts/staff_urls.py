"""The ISU's pages of contacts (under /staff/contacts/, namespace staff:contacts; issue #26)."""

from django.urls import path

from ccm.accounts import staff_views

urlpatterns = [
    path("", staff_views.contact_list, name="list"),
    path("add/", staff_views.add_contact, name="add"),
    path("import/", staff_views.import_contacts, name="import"),
    path("import/template.<str:kind>", staff_views.import_template, name="template"),
    path("without-address/", staff_views.without_address, name="without_address"),
    path("<int:pk>/", staff_views.edit_contact, name="edit"),
    path("<int:pk>/deactivate/", staff_views.deactivate_contact, name="deactivate"),
    path("<int:pk>/reactivate/", staff_views.reactivate_contact, name="reactivate"),
    path("<int:pk>/invite/", staff_views.invite_contact, name="invite"),
]
