"""Pieces every app's forms share: dates typed in ISO form only (01/02/2026 reads differently
around the world), and Bootstrap's classes on every widget."""

from __future__ import annotations

from typing import Any

from django import forms


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
