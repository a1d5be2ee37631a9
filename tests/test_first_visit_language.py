"""A browser that prefers Spanish lands on the Spanish form; a choice made in the switcher wins afterwards."""

from urllib.parse import quote

import pytest

from tests.support import SCLE_RESULT, page_text


def test_a_first_visit_from_a_spanish_browser_ends_on_the_spanish_form(client, seeded):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5", follow=True)
    assert response.redirect_chain == [("/es/", 302)]
    assert '<html lang="es">' in response.content.decode()
    assert "Talidomida a dosis bajas en el lupus cutáneo: qué dice la evidencia para este paciente" in page_text(response)


@pytest.mark.parametrize("accept", [None, "en-GB,en;q=0.9", "fr-FR,fr;q=0.9", "de", "*"])
def test_english_stays_the_default_for_every_other_browser(client, seeded, accept):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get("/", **headers)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize("accept", ["es", "en"])
def test_the_form_at_the_root_varies_by_language_header_and_cookie(client, seeded, accept):
    vary = {v.strip() for v in client.get("/", HTTP_ACCEPT_LANGUAGE=accept)["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_choosing_english_in_the_switcher_outranks_a_spanish_browser(client, seeded):
    spanish_form = client.get("/", HTTP_ACCEPT_LANGUAGE="es", follow=True).content.decode()
    link = f'href="/language/en/?next={quote("/", safe="")}"'
    assert link in spanish_form
    chosen = client.get("/language/en/", {"next": "/"}, HTTP_ACCEPT_LANGUAGE="es")
    assert chosen.status_code == 302 and chosen["Location"] == "/"
    assert chosen.cookies["django_language"].value == "en"
    again = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert again.status_code == 200 and '<html lang="en">' in again.content.decode()


def test_choosing_spanish_is_remembered_for_the_next_visit_to_the_root(client, seeded):
    client.get("/language/es/", {"next": "/es/"})
    response = client.get("/")  # no Accept-Language at all
    assert response.status_code == 302 and response["Location"] == "/es/"


def test_the_switcher_keeps_the_page_and_its_patient_features(client, seeded):
    target = "/es" + SCLE_RESULT
    response = client.get("/language/es/", {"next": target})
    assert response["Location"] == target


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_the_switcher_never_sends_anyone_to_another_site(client, next_url):
    response = client.get("/language/es/", {"next": next_url})
    assert response.status_code == 302 and response["Location"] == "/es/"


def test_an_unknown_language_is_not_found(client):
    assert client.get("/language/fr/", {"next": "/"}).status_code == 404


def test_a_result_url_keeps_its_own_language_whatever_the_browser_prefers(client, seeded):
    english = client.get(SCLE_RESULT, HTTP_ACCEPT_LANGUAGE="es")
    assert english.status_code == 200 and '<html lang="en">' in english.content.decode()
    spanish = client.get("/es" + SCLE_RESULT, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="es">' in spanish.content.decode()
