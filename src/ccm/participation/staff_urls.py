"""The ISU's pages of participation (under /staff/participation/, namespace staff:participation)."""

from django.urls import path

from ccm.participation import staff_views

urlpatterns = [
    path("<slug:code>/invitations/", staff_views.invitations, name="invitations"),
    path("<slug:code>/delegations/", staff_views.delegations, name="delegations"),
    path("delegation/<int:pk>/", staff_views.delegation, name="delegation"),
    path("delegation/<int:pk>/note-verbale/", staff_views.note_verbale, name="note_verbale"),
    path(
        "<slug:code>/note-verbale/", staff_views.choose_note_verbale, name="choose_note_verbale"
    ),  # fmt: skip
    path(
        "invitation/<int:pk>/note-verbale/",
        staff_views.enter_note_verbale,
        name="enter_note_verbale",
    ),  # fmt: skip
    path("invitation/<int:pk>/letter/", staff_views.preview_letter, name="letter"),
    path("<slug:code>/participants/", staff_views.participants, name="participants"),
    path("<slug:code>/badges.pdf", staff_views.badges, name="badges"),
    path("scan/", staff_views.scan, name="scan"),
    path("badge/<str:code>/", staff_views.scan, name="badge"),
]
