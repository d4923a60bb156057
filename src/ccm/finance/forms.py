"""Forms of finance (issue #13): assess a cost, issue its invoices, record and allocate a
payment, correct an invoice with a credit note, reverse a payment, publish a status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core.forms import Styled, iso_date, table_upload
from ccm.finance import selectors
from ccm.finance.choices import Currency, Purpose, WithoutRate
from ccm.registry.models import State


class MoneyField(forms.CharField):
    """An amount typed as people type it (12500, 12,500.50), read exactly as a Decimal."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return selectors.money(text)
        except ValueError:
            raise forms.ValidationError(
                _("Give an amount of zero or more, with at most two decimals.")
            ) from None


def percent(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.000001"),
        max_value=Decimal(100),
        decimal_places=6,
    )


class AssessForm(Styled):
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=Purpose.choices)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2010, max_value=2100)
    meeting = forms.CharField(
        label=gettext_lazy("Meeting (code, for a meeting's costs)"), required=False, max_length=20
    )
    cost = MoneyField(label=gettext_lazy("Cost"))
    as_of = iso_date(gettext_lazy("Payers as of"))
    ceiling = percent(gettext_lazy("Ceiling on a share (%, optional)"))
    floor = percent(gettext_lazy("Floor on a share (%, optional)"))
    minimum = MoneyField(label=gettext_lazy("Minimum contribution (optional)"), required=False)
    without_rate = forms.ChoiceField(
        label=gettext_lazy("A payer without a UN rate"),
        choices=[("", gettext_lazy("— choose, if any payer has none —")), *WithoutRate.choices],
        required=False,  # never excluded by default (issue #25): the preview names them
    )
    without_rate_value = percent(gettext_lazy("Configured rate for it (%)"))
    exclude_reason = forms.CharField(
        label=gettext_lazy("Why they are excluded (printed on the documents)"),
        required=False,
        max_length=300,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        purpose = data.get("purpose")
        if purpose and purpose != Purpose.ISU_BUDGET and not data.get("meeting"):
            self.add_error("meeting", _("Name the meeting whose costs are assessed."))
        if data.get("without_rate") == WithoutRate.RATE and not data.get("without_rate_value"):
            self.add_error("without_rate_value", _("Give the rate."))
        if data.get("without_rate") == WithoutRate.MINIMUM and data.get("minimum") is None:
            self.add_error("minimum", _("Give the minimum contribution."))
        return data

    def check_without_rate(self, computed: selectors.Computed) -> None:
        """Payers without a rate are named with the choice to make, never excluded by default
        (issue #25): no rule chosen, or excluded without a reason, is an error on the form."""
        if not computed.without:
            return
        names = ", ".join(s.name for s in computed.without_states)
        if not self.cleaned_data.get("without_rate"):
            self.add_error(
                "without_rate",
                _(
                    "These payers have no rate for the scale %(period)s: %(names)s. Enter a "
                    "rate with its source, have them pay the minimum contribution, or exclude "
                    "them with a reason."
                )
                % {"period": computed.period, "names": names},
            )
        elif (
            self.cleaned_data["without_rate"] == WithoutRate.EXCLUDE
            and not (self.cleaned_data.get("exclude_reason") or "").strip()
        ):
            self.add_error(
                "exclude_reason", _("Say why %(names)s are excluded.") % {"names": names}
            )

    def compute(self) -> selectors.Computed:
        """The assessment these inputs give; ValueError with a message for the person."""
        d = self.cleaned_data
        purpose = d["purpose"]
        payers = "parties" if purpose == Purpose.ISU_BUDGET else f"meeting:{d['meeting']}"
        currency = Currency.CHF if purpose == Purpose.ISU_BUDGET else Currency.USD
        options = selectors.Options(
            ceiling=d.get("ceiling"),
            floor=d.get("floor"),
            minimum=d.get("minimum"),
            without_rate=d.get("without_rate") or WithoutRate.EXCLUDE,
            without_rate_value=d.get("without_rate_value"),
            exclude_reason=(d.get("exclude_reason") or "").strip()
            if d.get("without_rate")
            else _("no rate for the period: awaiting the ISU's choice"),
        )
        return selectors.compute(
            cost=d["cost"],
            currency=currency,
            year=d["year"],
            payers=payers,
            as_of=d["as_of"],
            options=options,
        )


class IssueForm(Styled):
    issued_on = iso_date(gettext_lazy("Date of issue"))
    due_on = iso_date(gettext_lazy("Due date"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("issued_on") and data.get("due_on") and data["due_on"] < data["issued_on"]:
            self.add_error("due_on", _("The due date is on or after the date of issue."))
        if data.get("issued_on") and data["issued_on"] > timezone.localdate():
            self.add_error("issued_on", _("Invoices are issued today or earlier."))
        return data


class PaymentForm(Styled):
    state = forms.ModelChoiceField(
        label=gettext_lazy("State"),
        to_field_name="iso3",
        queryset=State.objects.order_by("name_en"),
    )
    received_on = iso_date(gettext_lazy("Received on"))
    amount = MoneyField(
        label=gettext_lazy("Amount"),
        help_text=gettext_lazy("As credited to the ISU's account, in the invoice's currency."),
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), choices=Currency.choices)
    sent_amount = MoneyField(label=gettext_lazy("Amount sent by the State"), required=False)
    sent_currency = forms.CharField(
        label=gettext_lazy("Currency sent (such as EUR)"),
        max_length=3,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 3}),
    )
    bank_charges = MoneyField(
        label=gettext_lazy("Bank charges"),
        required=False,
        help_text=gettext_lazy("Taken on the way, in the invoice's currency."),
    )
    bank_reference = forms.CharField(
        label=gettext_lazy("Bank reference"), max_length=100, required=False
    )
    invoice = forms.CharField(
        label=gettext_lazy("Invoice number (if the payment quotes one)"),
        max_length=40,
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class AllocateForm(Styled):
    invoice = forms.CharField(label=gettext_lazy("Invoice number"), max_length=40)
    amount = MoneyField(label=gettext_lazy("Amount"))


class CreditNoteForm(Styled):
    amount = MoneyField(label=gettext_lazy("Amount to credit"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


class ReverseForm(Styled):
    reason = forms.CharField(label=gettext_lazy("Why it is reversed"), max_length=300)


class WriteOffForm(Styled):
    amount = MoneyField(label=gettext_lazy("Amount to write off"))
    reason = forms.CharField(label=gettext_lazy("Why it is written off"), max_length=300)


class RateForm(Styled):
    """A rate the reference data lack (a notional rate for a scale period), with its source."""

    state = forms.ModelChoiceField(
        label=gettext_lazy("State"),
        to_field_name="iso3",
        queryset=State.objects.order_by("name_en"),
    )
    period = forms.ChoiceField(label=gettext_lazy("Scale period"))
    rate = forms.DecimalField(
        label=gettext_lazy("Rate (%)"),
        min_value=Decimal("0.001"),
        max_value=Decimal(100),
        decimal_places=3,
    )
    source = forms.CharField(
        label=gettext_lazy("Source (resolution and paragraph)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = [(p, p) for p in reversed(selectors.periods())]


class SettingsForm(Styled):
    """The ISU's letterhead, and per currency its bank details, the minimum contribution and
    the largest write-off."""

    letterhead = forms.CharField(
        label=gettext_lazy("Letterhead (the ISU's name and address)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for currency in Currency.values:
            self.fields[f"bank_{currency}"] = forms.CharField(
                label=_("Bank details for %(currency)s") % {"currency": currency},
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=1000,
                required=False,
            )
            self.fields[f"minimum_{currency}"] = MoneyField(
                label=_("Minimum contribution in %(currency)s") % {"currency": currency},
                required=False,
            )
            self.fields[f"limit_{currency}"] = MoneyField(
                label=_("Largest write-off in %(currency)s") % {"currency": currency},
                required=False,
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    @staticmethod
    def initial_from(found: selectors.Setup) -> dict[str, Any]:
        initial: dict[str, Any] = {"letterhead": found.letterhead}
        for currency in Currency.values:
            initial[f"bank_{currency}"] = found.bank_details.get(currency, "")
            initial[f"minimum_{currency}"] = found.minimum.get(currency)
            initial[f"limit_{currency}"] = found.write_off_limit.get(currency)
        return initial


# Meeting costs through the UN (issue #25) ------------------------------------------------------


class UNRecordForm(Styled):
    """One assessment notice or payment as the UN reported it."""

    kind = forms.ChoiceField(
        label=gettext_lazy("What the UN reports"),
        choices=[
            ("notice", gettext_lazy("an assessment notice sent")),
            ("payment", gettext_lazy("a payment received")),
        ],
    )
    state = forms.ModelChoiceField(
        label=gettext_lazy("State"),
        to_field_name="iso3",
        queryset=State.objects.order_by("name_en"),
    )
    on = iso_date(gettext_lazy("Date of the notice or of the payment"))
    amount = MoneyField(label=gettext_lazy("Amount (USD)"))
    reference = forms.CharField(label=gettext_lazy("UN reference"), max_length=100)
    reported_on = iso_date(gettext_lazy("Reported by the UN on"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class UNStatementForm(Styled):
    """The UN's statement of a meeting's costs, as a file."""

    reported_on = iso_date(gettext_lazy("Statement dated"))
    file = forms.FileField(
        label=gettext_lazy(
            "UN statement (CSV or XLSX: meeting, iso3, type, date, amount_usd, reference)"
        )
    )

    def clean_file(self) -> Any:
        return table_upload(self.cleaned_data["file"])


class PublishCostShareForm(Styled):
    assessment = forms.IntegerField(widget=forms.HiddenInput)
