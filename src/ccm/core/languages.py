"""The six official languages of the United Nations, in which documents and reports come."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

UN_LANGUAGES = [
    ("ar", _("Arabic")), ("zh", _("Chinese")), ("en", _("English")),
    ("fr", _("French")), ("ru", _("Russian")), ("es", _("Spanish")),
]  # fmt: skip
