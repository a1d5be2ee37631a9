"""The clinician's main flow in a real headless Chromium."""

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_clinician_fills_the_form_and_reads_sourced_figures(page, live_server, seeded_live):
    page.goto(live_server.url + "/")
    assert "Informational, not a prescribing tool" in page.inner_text("body")
    page.get_by_label("Subacute CLE (SCLE)").check()
    page.get_by_label("Refractory after an adequate trial").check()
    page.get_by_label("Can become pregnant").check()
    page.get_by_role("button", name="Show the evidence").click()
    page.wait_for_url("**/result/?*")

    body = page.inner_text("body")
    assert "58/59 (98%)" in body
    assert "odds ratio 30 (95% CI 5.82 to 154.63)" in body
    assert "This patient can become pregnant" in body
    assert "PMID 21999437" in body
    assert "Informational, not a prescribing tool" in body
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "result-scle-refractory.png", full_page=True)
    assert all(url.startswith(live_server.url) for url in page.requests), page.requests


def test_browser_will_not_submit_the_form_without_a_subtype(page, live_server, seeded_live):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Show the evidence").click()
    assert page.url == live_server.url + "/"
    assert page.get_by_label("Subacute CLE (SCLE)").evaluate("radio => radio.validity.valueMissing")


def test_missing_answers_from_a_bookmarked_link_come_back_marked(page, live_server, seeded_live):
    page.goto(live_server.url + "/result/?antimalarial_status=refractory")
    assert "Choose the CLE subtype." in page.inner_text("body")
