"""The contact form: the staff pages and the contacts import validate with it (issue #26)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccm.registry.models import Contact, State, fold

CONTACT_FIELDS = (
    "state", "name", "role", "title", "organisation", "email", "phone", "language", "notes",
)  # fmt: skip


def state_choices(states: Sequence[State]) -> list[tuple[str, str]]:
    """Every State as a plain <select> offers it: by its name in the page's language."""
    return [(s.iso3, s.name) for s in sorted(states, key=lambda s: fold(s.name))]


class ContactForm(forms.ModelForm):
    """A contact as staff add or correct it. The State is a plain <select> (no autocomplete:
    issue #26); `states` may be given to spare a query per form (the import)."""

    state = forms.ChoiceField(label=pgettext_lazy("country", "State"))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Contact
        fields = [f for f in CONTACT_FIELDS if f != "state"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, states: Sequence[State] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.states = {s.iso3: s for s in (states if states is not None else State.objects.all())}
        self.fields["state"].choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *state_choices(list(self.states.values())),
        ]
        if self.instance.pk:
            self.initial.setdefault("state", self.instance.state_id)
            self.initial.setdefault("revision", self.instance.revision)
        self.fields["language"].help_text = _("Left empty, the working language of the State.")
        for field in self.fields.values():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.order_fields(["state", *CONTACT_FIELDS[1:], "revision"])

    def clean_state(self) -> State:
        code = (self.cleaned_data.get("state") or "").strip().upper()
        state = self.states.get(code)
        if state is None:
            raise forms.ValidationError(
                _("Choose a State from the list (%(code)s is not one)."),
                params={"code": repr(code)},
                code="invalid_state",
            )
        return state

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip()

    def _post_clean(self) -> None:
        # The State is set here so the model's checks (the unique address per State) see it.
        state = self.cleaned_data.get("state")
        if isinstance(state, State):
            self.instance.state = state
        super()._post_clean()  # type: ignore[misc]

    def values(self) -> dict[str, Any]:
        """What the services take: each field of the contact, validated."""
        return {f: self.cleaned_data[f] for f in CONTACT_FIELDS}
