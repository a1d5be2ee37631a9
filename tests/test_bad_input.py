"""Bad input of any kind gets a clear message and a 4xx, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cledss.clinical.features import REPEATED
from cledss.evidence.models import Finding, Study
from cledss.web.forms import NOT_A_CHECKBOX
from tests.support import page_text

VALID = "subtype=scle&antimalarial_status=refractory"


def test_unknown_subtype_is_refused_with_a_message(client, seeded):
    response = client.get("/result/?subtype=lichen&antimalarial_status=refractory")
    assert response.status_code == 400
    assert "Choose one of the listed CLE subtypes." in page_text(response)


def test_missing_field_is_named(client, seeded):
    response = client.get("/result/?subtype=scle")
    assert response.status_code == 400
    assert "Choose how the CLE has responded to antimalarials." in page_text(response)


def test_ten_kilobyte_value_is_refused(client, seeded):
    response = client.get(f"/result/?subtype={'x' * 10_240}&antimalarial_status=refractory")
    assert response.status_code == 400
    assert "x" * 100 not in response.content.decode()


@pytest.mark.parametrize("value", ["%00", "%ED%A0%80", "%F0%9F%92%8A", "s%CC%81cle", "%EF%BB%BFscle", "SCLE"])
def test_odd_unicode_is_refused_cleanly(client, seeded, value):
    response = client.get(f"/result/?subtype={value}&antimalarial_status=refractory")
    assert response.status_code == 400


def test_repeated_parameter_is_refused_rather_than_guessed(client, seeded):
    response = client.get(f"/result/?{VALID}&subtype=dle")
    assert response.status_code == 400
    assert str(REPEATED) in page_text(response)


def test_checkbox_with_a_strange_value_is_refused(client, seeded):
    response = client.get(f"/result/?{VALID}&smoker=perhaps")
    assert response.status_code == 400
    assert str(NOT_A_CHECKBOX) in page_text(response)


@pytest.mark.parametrize("path", ["/", "/result/"])
def test_post_is_refused_with_405_and_a_readable_page(client, seeded, path):
    response = client.post(path, {"subtype": "scle", "antimalarial_status": "refractory"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "only answers GET requests" in page_text(response)


def test_too_many_parameters_is_a_400(client, seeded):
    query = "&".join(f"p{i}=1" for i in range(1_200))
    assert client.get(f"/result/?{VALID}&{query}").status_code == 400


query_values = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
field_names = st.sampled_from(
    [
        "subtype", "antimalarial_status", "can_become_pregnant", "neuropathy", "smoker", "thrombosis_risk",
        "daily_dose_mg", "months_on_thalidomide", "snap_baseline_uv", "snap_now_uv", "other",
    ]
)


# The requests are read-only, so sharing one seeded database across examples is sound.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.lists(st.tuples(field_names, query_values), max_size=8))
def test_arbitrary_query_never_errors_and_never_touches_evidence(django_client_and_counts, params):
    client, counts = django_client_and_counts
    response = client.get("/result/", params)
    if any(name == "other" for name, _ in params):
        assert response.status_code == 302 and "other=" not in response["Location"]
    else:
        assert response.status_code in (200, 400)
    assert (Study.objects.count(), Finding.objects.count()) == counts


@pytest.fixture
def django_client_and_counts(client, seeded):
    return client, (Study.objects.count(), Finding.objects.count())


@pytest.mark.parametrize("path", ["/result/", "/result/pdf/", "/result/handout/", "/result/handout/pdf/"])
@pytest.mark.parametrize(
    "query, field, message",
    [
        ("snap_baseline_uv=20", "snap_now_uv", "Give the sural SNAP amplitude both at baseline and now, or neither"),
        ("snap_now_uv=8", "snap_baseline_uv", "Give the sural SNAP amplitude both at baseline and now, or neither"),
        ("daily_dose_mg=0", "daily_dose_mg", "Give a whole number from 1 to 400 (mg/day), or leave it empty."),
        ("daily_dose_mg=10000", "daily_dose_mg", "Give a whole number from 1 to 400 (mg/day), or leave it empty."),
        ("daily_dose_mg=abc", "daily_dose_mg", "Give a whole number from 1 to 400 (mg/day), or leave it empty."),
        ("daily_dose_mg=62.5", "daily_dose_mg", "Give a whole number from 1 to 400 (mg/day), or leave it empty."),
        ("months_on_thalidomide=-1", "months_on_thalidomide", "Give a whole number from 0 to 240 (months)"),
        ("snap_baseline_uv=0&snap_now_uv=8", "snap_baseline_uv", "Give a number from 0.01 to 100 (µV) with at most 2"),
        ("snap_baseline_uv=20&snap_now_uv=8.125", "snap_now_uv", "Give a number from 0.01 to 100 (µV) with at most 2"),
        ("snap_baseline_uv=NaN&snap_now_uv=8", "snap_baseline_uv", "Give a number from 0.01 to 100 (µV) with at most 2"),
        ("daily_dose_mg=50&daily_dose_mg=60", "daily_dose_mg", str(REPEATED)),
    ],
)
def test_a_bad_dose_months_or_snap_value_gets_the_form_back_with_its_message(client, seeded, path, query, field, message):
    response = client.get(f"{path}?{VALID}&{query}")
    assert response.status_code == 400
    assert message in page_text(response)
    assert f'id="id_{field}_error"' in response.content.decode()


@pytest.mark.parametrize("path", ["/result/pdf/", "/result/handout/pdf/"])
def test_an_unknown_paper_size_is_refused_with_the_sizes_that_exist(client, seeded, path):
    response = client.get(f"{path}?{VALID}&paper=a3")
    assert response.status_code == 400
    assert "The paper size must be one of: a4, letter." in page_text(response)


# Fullwidth and Arabic-Indic digits: Python's int() reads them, the API's parser does not.
@pytest.mark.parametrize("dose", ["１００", "١٠٠", "٣٠"])
def test_digits_other_than_0_to_9_are_refused_by_the_page_and_the_api_alike(client, seeded, dose):
    page = client.get(f"/result/?{VALID}&daily_dose_mg={dose}")
    assert page.status_code == 400
    assert "Give a whole number from 1 to 400 (mg/day), or leave it empty." in page_text(page)
    assert client.get(f"/api/assessment?{VALID}&daily_dose_mg={dose}").status_code == 422


@pytest.mark.parametrize("path", ["/health/", "/fhir/Bundle/evidence"])
def test_a_post_to_a_read_only_endpoint_is_told_the_methods_that_work(client, db, path):
    response = client.post(path, {})
    assert response.status_code == 405
    assert "GET" in response["Allow"]
