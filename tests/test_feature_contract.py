"""The patient's features are defined once, on PatientFeatures; the form, the API schema, the inputs
table and the result URL are all built from that one contract."""

import inspect
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from cledss.clinical import features as contract_module
from cledss.clinical.features import (
    DISEASE,
    AntimalarialStatus,
    Kind,
    PatientFeatures,
    Subtype,
    contract,
    feature,
    unpaired,
)
from cledss.clinical.phrases import _
from cledss.interop import api
from cledss.interop.serialise import features_json, inputs_schema, result_query
from cledss.web.forms import AssessmentForm
from tests.support import page_text, patient


@dataclass(frozen=True)
class WithKidneyFunction(PatientFeatures):
    """The contract with one more feature, as a later issue might add it."""

    egfr_ml_min: int | None = feature(
        kind=Kind.NUMBER, label=_("Kidney function (eGFR)"), group=DISEASE, unit=_("mL/min"),
        minimum=Decimal(5), maximum=Decimal(150),
    )


@pytest.fixture
def one_more_feature(monkeypatch):
    monkeypatch.setattr(contract_module, "PatientFeatures", WithKidneyFunction)


SCLE = "subtype=scle&antimalarial_status=refractory"


def test_a_feature_added_to_the_contract_is_asked_checked_and_read_by_the_form(one_more_feature):
    form = AssessmentForm(QueryDict(f"{SCLE}&egfr_ml_min=60"))
    assert str(form.fields["egfr_ml_min"].label) == "Kidney function (eGFR)"
    assert form.is_valid(), form.errors
    assert form.features() == WithKidneyFunction(Subtype.SCLE, AntimalarialStatus.REFRACTORY, egfr_ml_min=60)
    refused = AssessmentForm(QueryDict(f"{SCLE}&egfr_ml_min=500"))
    assert refused.errors["egfr_ml_min"] == ["Give a whole number from 5 to 150 (mL/min), or leave it empty."]


def test_a_feature_added_to_the_contract_is_in_the_api_schema_and_the_inputs_it_echoes(one_more_feature):
    query = api.query_schema().model_json_schema()["properties"]["egfr_ml_min"]
    assert {"type": "integer", "minimum": 5, "maximum": 150} in query["anyOf"]
    assert query["description"] == "Kidney function (eGFR), in mL/min."
    assert "egfr_ml_min" in inputs_schema().model_fields
    assert features_json(WithKidneyFunction(egfr_ml_min=60))["egfr_ml_min"] == 60


def test_a_feature_added_to_the_contract_is_in_the_inputs_table_and_the_result_url(one_more_feature, client, seeded):
    text = page_text(client.get(f"/result/?{SCLE}&egfr_ml_min=60"))
    inputs = text[text.index("Inputs used"):text.index("What cledss is for")]
    assert "Kidney function (eGFR) 60 mL/min" in inputs
    assert "egfr_ml_min=60" in result_query(WithKidneyFunction(egfr_ml_min=60))


def test_every_feature_of_the_contract_is_a_form_field_an_api_parameter_and_an_inputs_row(client):
    names = [f.name for f in contract()]
    assert names == [
        "subtype", "antimalarial_status", "can_become_pregnant", "neuropathy", "smoker", "thrombosis_risk",
        "daily_dose_mg", "months_on_thalidomide", "snap_baseline_uv", "snap_now_uv",
    ]
    assert list(AssessmentForm().fields) == names
    operation = client.get("/api/openapi.json").json()["paths"]["/api/assessment"]["get"]
    assert [p["name"] for p in operation["parameters"]] == names
    given = patient(daily_dose_mg=100, months_on_thalidomide=3, snap_baseline_uv=20, snap_now_uv=15)
    assert len(given.inputs) == len(names)
    # An optional value left empty is unknown: the inputs table lists what was given.
    assert len(patient().inputs) == 6


def test_the_api_reads_the_contract_not_the_form():
    assert "cledss.web" not in inspect.getsource(api)


def test_a_snap_value_given_alone_is_reported_on_the_missing_one():
    [(missing, message)] = unpaired({"snap_baseline_uv": Decimal(20), "snap_now_uv": None})
    assert missing.name == "snap_now_uv"
    assert "both at baseline and now, or neither" in str(message)
    assert unpaired({"snap_baseline_uv": None, "snap_now_uv": None}) == ()


def bounded(f) -> st.SearchStrategy:
    """Any value the contract admits for a feature, unknown included where it is optional."""
    if f.kind == Kind.CHOICE:
        return st.sampled_from(list(f.choices))
    if f.kind == Kind.FLAG:
        return st.booleans()
    step = Decimal(1).scaleb(-f.places)
    steps = st.integers(int(f.minimum / step), int(f.maximum / step))
    values = steps.map(int) if f.places == 0 else steps.map(lambda n: n * step)
    return st.none() | values


@st.composite
def any_patient(draw) -> PatientFeatures:
    values = {f.name: draw(bounded(f)) for f in contract()}
    if (values["snap_baseline_uv"] is None) != (values["snap_now_uv"] is None):
        values["snap_now_uv"] = None
        values["snap_baseline_uv"] = None
    return PatientFeatures(**values)


@given(features=any_patient())
def test_the_result_url_brings_the_form_back_to_the_same_features(features):
    form = AssessmentForm(QueryDict(result_query(features)))
    assert form.is_valid(), form.errors
    assert form.features() == features
