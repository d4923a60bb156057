"""Pieces every app's forms share: dates typed in ISO form only (01/02/2026 reads differently
around the world), Bootstrap's classes on every widget, and the first check of a table to
import (its content is checked when it is read: core.tables)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _


def iso_date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class Styled(forms.Form):
    """A form whose widgets carry Bootstrap's classes (check boxes and hidden fields aside)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def table_upload(upload: Any) -> Any:
    """A file to import as a table: named .csv or .xlsx and within the import size limit."""
    if not upload.name.lower().endswith((".csv", ".xlsx")):
        raise forms.ValidationError(_("A CSV or XLSX file."))
    if upload.size > settings.CCM_IMPORT_MAX_MB * 1024 * 1024:
        raise forms.ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.CCM_IMPORT_MAX_MB}
        )
    return upload
