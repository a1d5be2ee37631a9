"""The patient's features stay in the URL they were given in: no identifier rides along, no cache keeps them.

An EHR may append its own identifiers to a link it opens (``mrn=...``); cledss takes only its own features,
so a page never repeats such a parameter into its links, and no answer carrying features may be stored
by a browser or a proxy.
"""

from urllib.parse import parse_qsl, urlsplit

import pytest

FEATURES = "subtype=scle&antimalarial_status=refractory"
WITH_IDENTIFIERS = f"{FEATURES}&patient_name=x&mrn=12345"


@pytest.mark.parametrize("path", ["/result/", "/es/result/", "/result/handout/", "/", "/es/"])
def test_a_url_with_parameters_of_its_own_redirects_to_the_features_alone(client, seeded, path):
    response = client.get(f"{path}?{WITH_IDENTIFIERS}")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == path
    assert parse_qsl(target.query) == [("subtype", "scle"), ("antimalarial_status", "refractory")]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/result/pdf/", "/result/handout/pdf/"])
def test_a_pdf_url_keeps_its_paper_and_loses_the_rest(client, seeded, path):
    response = client.get(f"{path}?{WITH_IDENTIFIERS}&paper=letter")
    assert response.status_code == 302
    assert parse_qsl(urlsplit(response["Location"]).query) == [
        ("subtype", "scle"), ("antimalarial_status", "refractory"), ("paper", "letter"),
    ]


def test_the_page_reached_repeats_no_identifier_in_its_links(client, seeded):
    response = client.get(f"/result/?{WITH_IDENTIFIERS}", follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "mrn" not in text and "patient_name" not in text


def test_a_url_with_features_alone_is_answered_in_place(client, seeded):
    assert client.get(f"/result/?{FEATURES}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        f"/result/?{FEATURES}",
        f"/result/handout/?{FEATURES}",
        f"/?{FEATURES}",
        f"/api/assessment?{FEATURES}",
        "/api/assessment?subtype=scle",
        "/result/?subtype=scle",
    ],
)
def test_every_answer_carrying_features_is_never_stored(client, seeded, path):
    response = client.get(path)
    assert "no-store" in response["Cache-Control"], (path, response.status_code)


def test_the_api_refuses_a_parameter_that_is_not_a_feature_and_names_it(client, seeded):
    response = client.get(f"/api/assessment?{WITH_IDENTIFIERS}")
    assert response.status_code == 422
    refused = {tuple(entry["loc"]): entry["type"] for entry in response.json()["detail"]}
    assert refused == {("query", "patient_name"): "unknown", ("query", "mrn"): "unknown"}
    assert "12345" not in response.content.decode()
