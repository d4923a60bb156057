"""Staff pages of reporting (under /staff/reporting/, two-factor enforced)."""

from django.urls import path

from ccm.reporting import staff_views

app_name = "reporting"
urlpatterns = [
    path("letters/", staff_views.letters_index, name="letters"),
    path("letters/circular/", staff_views.circular, name="circular"),
    path("letters/reminder/<str:iso3>/", staff_views.reminder, name="reminder"),
    path("import/", staff_views.import_register, name="import"),
    path(
        "import/template.<str:fmt>",
        staff_views.import_template,
        name="import_template",
    ),
]
