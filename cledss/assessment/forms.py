from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from cledss.clinical.features import ANTIMALARIAL_LABELS, SUBTYPE_LABELS, AntimalarialStatus, PatientFeatures, Subtype

# What a checkbox may send; anything else is a malformed request, not a "yes".
_CHECKBOX_VALUES = {"", "on", "true", "false", "1", "0"}
REPEATED = _("This was given more than once; give one value.")
NOT_A_CHECKBOX = _("Tick the box or leave it empty.")


class AssessmentForm(forms.Form):
    """The patient's clinical features; deliberately nothing that could identify them."""

    subtype = forms.ChoiceField(
        label=_("CLE subtype"),
        choices=[(s.value, label) for s, label in SUBTYPE_LABELS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the CLE subtype."), "invalid_choice": _("Choose one of the listed CLE subtypes.")},
    )
    antimalarial_status = forms.ChoiceField(
        label=_("Antimalarial treatment"),
        choices=[(s.value, label) for s, label in ANTIMALARIAL_LABELS.items()],
        widget=forms.RadioSelect,
        help_text=_("Hydroxychloroquine or another antimalarial, the first-line systemic treatment."),
        error_messages={
            "required": _("Choose how the CLE has responded to antimalarials."),
            "invalid_choice": _("Choose one of the listed antimalarial statuses."),
        },
    )
    can_become_pregnant = forms.BooleanField(label=_("Can become pregnant"), required=False)
    neuropathy = forms.BooleanField(label=_("Has peripheral neuropathy already"), required=False)
    smoker = forms.BooleanField(label=_("Smokes"), required=False)
    thrombosis_risk = forms.BooleanField(
        label=_("Has had a thrombosis, or has antiphospholipid antibodies"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse_lazy("assessment:result")
        self.helper.layout = Layout(
            Fieldset(_("Disease"), "subtype", "antimalarial_status"),
            Fieldset(_("Safety features"), "can_become_pregnant", "neuropathy", "smoker", "thrombosis_risk"),
            Submit("", _("Show the evidence")),
        )

    def clean(self):
        for name, field in self.fields.items():
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
            if len(values) > 1:
                self.add_error(name, REPEATED)
            elif isinstance(field, forms.BooleanField) and values and str(values[0]).lower() not in _CHECKBOX_VALUES:
                self.add_error(name, NOT_A_CHECKBOX)
        return super().clean()

    def features(self) -> PatientFeatures:
        data = self.cleaned_data
        return PatientFeatures(
            subtype=Subtype(data["subtype"]),
            antimalarial_status=AntimalarialStatus(data["antimalarial_status"]),
            can_become_pregnant=data["can_become_pregnant"],
            neuropathy=data["neuropathy"],
            smoker=data["smoker"],
            thrombosis_risk=data["thrombosis_risk"],
        )
