"""The JSON API: the form's inputs in, the page's assessment out, as JSON with its sources."""

import pytest

from cledss.clinical.assess import assess
from cledss.evidence.snapshot import published_snapshot
from tests.support import page_text

LABEL = "Informational, not a prescribing tool"
SCLE = {"subtype": "scle", "antimalarial_status": "refractory"}


@pytest.fixture
def api(client, seeded):
    def get(expected_status=200, **params):
        response = client.get("/api/assessment", params)
        assert response.status_code == expected_status, response.content
        assert response["X-Cledss-Label"] == LABEL
        return response.json()

    return get


def statement_texts(body: dict) -> list[str]:
    """Every statement's text in the core's order: applicability, then each section's, then its conflicts'."""
    texts = [s["text"] for s in body["applicability"]["statements"] + body["applicability"]["refractoriness"]]
    for section in body["sections"]:
        texts += [s["text"] for s in section["statements"]]
        for conflict in section["conflicts"]:
            texts += [s["text"] for s in conflict["found_association"] + conflict["found_no_association"]]
    return texts


def test_scle_refractory_answer_carries_label_version_and_inputs(api):
    body = api(**SCLE, smoker="true")
    assert body["label"] == LABEL
    assert body["evidence_version"] == published_snapshot().version
    assert body["inputs"] == {
        "subtype": "scle",
        "antimalarial_status": "refractory",
        "can_become_pregnant": False,
        "neuropathy": False,
        "smoker": True,
        "thrombosis_risk": False,
        "daily_dose_mg": None,
        "months_on_thalidomide": None,
        "snap_baseline_uv": None,
        "snap_now_uv": None,
    }
    assert body["applicability"]["fit"] == "inside"
    assert [s["key"] for s in body["sections"]] == ["response", "relapse", "monitoring", "safety", "practical"]


def test_every_statement_names_its_certainty_and_sources_that_are_listed(api):
    body = api(**SCLE)
    listed = {s["key"] for s in body["sources"]}
    statements = body["applicability"]["statements"] + [s for sec in body["sections"] for s in sec["statements"]]
    for statement in statements:
        assert statement["certainty"] in {"high", "moderate", "low", "very_low", "consensus", "regulatory"}
        assert statement["sources"] and set(statement["sources"]) <= listed
        for finding in statement["findings"]:
            assert finding["source_key"] in statement["sources"]


def test_figures_travel_as_reported_strings(api):
    body = api(**SCLE)
    findings = {
        (f["source_key"], f["key"]): f
        for sec in body["sections"]
        for s in sec["statements"]
        for f in s["findings"]
    }
    response = findings[("cortes-hernandez-2012", "response")]
    assert (response["numerator"], response["denominator"], response["estimate"]) == (58, 59, "98")
    remission = next(f for f in findings.values() if f["outcome"] == "long_term_remission")
    assert (remission["estimate"], remission["lower"], remission["upper"]) == ("30", "5.82", "154.63")
    assert remission["figure"] == "odds ratio 30 (95% CI 5.82 to 154.63), against the study's patients with other subtypes"
    assert remission["comparator"] == "the study's patients with other subtypes"
    assert remission["interval"] == "ci95" and remission["certainty"] == "very_low"


def test_primary_source_lists_pmid_doi_and_links(api):
    primary = api(**SCLE)["sources"][0]
    assert primary["pmid"] == "21999437"
    assert primary["doi"] == "10.1111/j.1365-2133.2011.10693.x"
    assert primary["pubmed_url"] == "https://pubmed.ncbi.nlm.nih.gov/21999437/"
    assert primary["doi_url"] == "https://doi.org/10.1111/j.1365-2133.2011.10693.x"


def test_api_equals_the_clinical_core_statement_for_statement(api, snapshot):
    from tests.support import patient

    body = api(**SCLE, can_become_pregnant="true")
    core = assess(patient("scle", "refractory", can_become_pregnant=True), published_snapshot())
    assert statement_texts(body) == [s.text for s in core.statements]


@pytest.mark.parametrize(
    "params",
    [
        SCLE,
        {"subtype": "dle", "antimalarial_status": "refractory", "can_become_pregnant": "on", "neuropathy": "on"},
        {"subtype": "tumidus", "antimalarial_status": "intolerant", "smoker": "on", "thrombosis_risk": "on"},
        {"subtype": "acle", "antimalarial_status": "not_tried"},
    ],
)
def test_api_and_result_page_show_the_same_statements_in_the_same_order(client, api, params):
    page = page_text(client.get("/result/", params))
    body = api(**params)
    position = 0
    for text in statement_texts(body):
        found = page.find(text, position)
        assert found >= 0, text
        position = found + len(text)
    assert body["applicability"]["headline"] in page


def test_unknown_subtype_is_a_422_with_a_machine_readable_error_and_the_label(api):
    body = api(422, subtype="lichen", antimalarial_status="refractory")
    assert body["label"] == LABEL
    assert body["error"] == "invalid_input"
    assert any(d["loc"][-1] == "subtype" for d in body["detail"])


def test_missing_antimalarial_status_is_a_422_naming_the_field(api):
    body = api(422, subtype="scle")
    assert any(d["loc"][-1] == "antimalarial_status" for d in body["detail"])


def test_a_checkbox_value_that_is_not_a_boolean_is_a_422(api):
    body = api(422, **SCLE, smoker="perhaps")
    assert any(d["loc"][-1] == "smoker" for d in body["detail"])


def test_openapi_schema_is_generated_and_served_by_the_app(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/assessment"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "subtype", "antimalarial_status", "can_become_pregnant", "neuropathy", "smoker", "thrombosis_risk",
        "daily_dose_mg", "months_on_thalidomide", "snap_baseline_uv", "snap_now_uv",
    }
    assert set(operation["responses"]) == {"200", "422"}


def test_no_docs_page_pulls_scripts_from_a_cdn(client):
    assert client.get("/api/docs").status_code == 404


def test_the_api_refuses_to_change_anything(client, seeded):
    assert client.post("/api/assessment", SCLE).status_code == 405


def test_a_repeated_field_is_refused_rather_than_guessed_as_the_form_does(api):
    response_body = api(422, subtype=["scle", "dle"], antimalarial_status="refractory")
    assert response_body["detail"] == [
        {"loc": ["query", "subtype"], "msg": "This was given more than once; give one value.", "type": "repeated"}
    ]


def test_the_api_takes_the_dose_months_and_snap_and_echoes_them(api):
    body = api(**SCLE, daily_dose_mg="150", months_on_thalidomide="8", snap_baseline_uv="20.0", snap_now_uv="8")
    assert {k: body["inputs"][k] for k in ("daily_dose_mg", "months_on_thalidomide", "snap_baseline_uv", "snap_now_uv")} == {
        "daily_dose_mg": 150, "months_on_thalidomide": 8, "snap_baseline_uv": "20", "snap_now_uv": "8",
    }
    texts = " ".join(statement_texts(body))
    assert "At 150 mg/day this patient is in the band over 75 mg/day" in texts
    assert "about 36.5 g if the daily dose has been constant" in texts
    assert "fallen by 60% from baseline" in texts


@pytest.mark.parametrize(
    "params, field, kind",
    [
        ({"daily_dose_mg": "0"}, "daily_dose_mg", "greater_than_equal"),
        ({"daily_dose_mg": "10000"}, "daily_dose_mg", "less_than_equal"),
        ({"daily_dose_mg": "abc"}, "daily_dose_mg", "int_parsing"),
        ({"months_on_thalidomide": "241"}, "months_on_thalidomide", "less_than_equal"),
        ({"snap_baseline_uv": "0", "snap_now_uv": "8"}, "snap_baseline_uv", "greater_than_equal"),
        ({"snap_baseline_uv": "20", "snap_now_uv": "8.125"}, "snap_now_uv", "decimal_max_places"),
        ({"snap_baseline_uv": "nan", "snap_now_uv": "8"}, "snap_baseline_uv", "finite_number"),
        ({"snap_baseline_uv": "20"}, "snap_now_uv", "unpaired"),
        ({"daily_dose_mg": ["50", "60"]}, "daily_dose_mg", "repeated"),
    ],
)
def test_the_api_refuses_what_the_form_refuses_with_a_422_naming_the_field(api, params, field, kind):
    body = api(422, **SCLE, **params)
    assert body["label"] == LABEL and body["error"] == "invalid_input"
    assert [(d["loc"][-1], d["type"]) for d in body["detail"]] == [(field, kind)]


def test_the_openapi_schema_shows_the_bounds_of_the_optional_inputs(client):
    parameters = {p["name"]: p for p in client.get("/api/openapi.json").json()["paths"]["/api/assessment"]["get"]["parameters"]}
    assert {"type": "integer", "minimum": 1, "maximum": 400} in parameters["daily_dose_mg"]["schema"]["anyOf"]
    assert {"type": "integer", "minimum": 0, "maximum": 240} in parameters["months_on_thalidomide"]["schema"]["anyOf"]
    assert {"type": "number", "minimum": 0.01, "maximum": 100} in parameters["snap_now_uv"]["schema"]["anyOf"]
    assert not any(parameters[name]["required"] for name in ("daily_dose_mg", "snap_baseline_uv"))
    assert parameters["daily_dose_mg"]["description"] == "Daily thalidomide dose, in mg/day. Planned or current. Empty if not known."
