from crispy_forms.bootstrap import AppendedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cledss.clinical.features import REPEATED, Feature, Kind, PatientFeatures, contract, patient, unpaired

# What a checkbox may send; anything else is a malformed request, not a "yes".
_CHECKBOX_VALUES = {"", "on", "true", "false", "1", "0"}
NOT_A_CHECKBOX = _("Tick the box or leave it empty.")
# Every way Django refuses a number; each gets the feature's own message, which states its bounds. Messages
# are handed over as lazy strings: Django formats them with its parameters, worded when shown.
_NUMBER_ERRORS = ("invalid", "min_value", "max_value", "max_digits", "max_decimal_places", "max_whole_digits")


class _WesternDigits:
    """Digits 0 to 9 only, as the JSON API reads numbers: Python would read '٣٠' or '３０' as 30, the API
    refuses them, and one policy for both keeps a URL meaning the same wherever it is sent."""

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class WholeNumberField(_WesternDigits, forms.IntegerField):
    pass


class DecimalNumberField(_WesternDigits, forms.DecimalField):
    pass


# A phrase of the core, read in the request's language when Django shows it. Made once: django's lazystr
# builds a new proxy class on every call, which cost each form about 1.5 ms.
_in_the_request_language = lazy(str, str)


def form_field(feature: Feature) -> forms.Field:
    """The form field for one feature of the contract, with its label, help, bounds and messages."""
    common = {"label": feature.label, "help_text": feature.help or "", "required": feature.required}
    if feature.kind == Kind.CHOICE:
        return forms.TypedChoiceField(
            choices=[(member.value, member.label) for member in feature.choices],
            coerce=feature.choices,
            empty_value=None,
            widget=forms.RadioSelect,
            error_messages={
                "required": _in_the_request_language(feature.missing),
                "invalid_choice": _in_the_request_language(feature.invalid),
            },
            **common,
        )
    if feature.kind == Kind.FLAG:
        return forms.BooleanField(**common)
    bounds = {"min_value": feature.minimum, "max_value": feature.maximum}
    messages = dict.fromkeys(_NUMBER_ERRORS, _in_the_request_language(feature.refusal))
    if feature.places == 0:
        return WholeNumberField(error_messages=messages, **bounds, **common)
    return DecimalNumberField(decimal_places=feature.places, error_messages=messages, **bounds, **common)


class AssessmentForm(forms.Form):
    """The patient's clinical features; deliberately nothing that could identify them.

    Its fields are built from the feature contract when the form is made, one per feature.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        features = contract()
        self.fields.update((feature.name, form_field(feature)) for feature in features)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse_lazy("web:result")
        self.helper.layout = _layout(features)

    def clean(self):
        for name, field in self.fields.items():
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
            if len(values) > 1:
                self.add_error(name, REPEATED)
            elif isinstance(field, forms.BooleanField) and values and str(values[0]).lower() not in _CHECKBOX_VALUES:
                self.add_error(name, NOT_A_CHECKBOX)
        for feature, message in unpaired(self.cleaned_data):
            if feature.name not in self.errors:  # a value refused already has its own message
                self.add_error(feature.name, message)
        return super().clean()

    @classmethod
    def prefilled(cls, query) -> "AssessmentForm":
        """An unbound form showing every valid feature a link carries (an EHR card fills in what the record
        says); invalid or missing values are left for the clinician, without error messages yet."""
        bound = cls(query)
        bound.is_valid()
        return cls(initial={name: value for name, value in bound.cleaned_data.items() if name not in bound.errors})

    def features(self) -> PatientFeatures:
        return patient(**{feature.name: self.cleaned_data[feature.name] for feature in contract()})


def _layout(features: tuple[Feature, ...]) -> Layout:
    """One fieldset per group of the contract, in its order; numbers show their unit beside the box."""
    groups: dict = {}
    for feature in features:
        shown = AppendedText(feature.name, feature.unit) if feature.unit else feature.name
        groups.setdefault(feature.group, []).append(shown)
    return Layout(*(Fieldset(group, *fields) for group, fields in groups.items()), Submit("", _("Show the evidence")))
