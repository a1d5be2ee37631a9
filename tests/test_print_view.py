"""The result page as a browser prints it: Chromium's print emulation, and its own PDF of the page."""

import io

import pytest
from pypdf import PdfReader

from cledss.clinical.assess import LABEL as LABEL_PHRASE

LABEL = LABEL_PHRASE.message
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

RESULT = "/result/?subtype=scle&antimalarial_status=refractory"


def test_printing_hides_navigation_form_and_buttons_and_keeps_the_label(page, live_server, seeded_live):
    page.goto(live_server.url + RESULT)
    page.emulate_media(media="print")

    assert page.locator("nav").is_hidden()
    assert page.get_by_role("link", name="Change the patient's features").is_hidden()
    assert page.get_by_role("link", name="Download PDF").is_hidden()
    assert page.locator("[data-print]").is_hidden()
    header = page.locator(".print-header")
    assert header.is_visible()
    assert LABEL in header.inner_text()
    assert "Evidence version" in header.inner_text()
    assert "58/59 (98%)" in page.inner_text("main")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "result-print.png", full_page=True)
    printout = page.pdf(path=ARTIFACTS / "result-print-chromium.pdf", format="A4")
    # Chromium draws the @page margin boxes: the label and page numbers on every sheet.
    pages = [" ".join(sheet.extract_text().split()) for sheet in PdfReader(io.BytesIO(printout)).pages]
    assert all(LABEL in text and f"of {len(pages)}" in text for text in pages), pages


def test_on_screen_the_print_header_is_hidden_and_both_buttons_show(page, live_server, seeded_live):
    page.goto(live_server.url + RESULT)
    assert page.locator(".print-header").is_hidden()
    assert page.get_by_role("link", name="Download PDF").is_visible()
    assert page.get_by_role("button", name="Print").is_visible()


def test_without_javascript_the_pdf_link_works_and_the_print_button_stays_hidden(chromium, live_server, seeded_live):
    context = chromium.new_context(java_script_enabled=False, accept_downloads=True)
    try:
        tab = context.new_page()
        tab.goto(live_server.url + RESULT)
        assert tab.locator("[data-print]").is_hidden()
        with tab.expect_download() as download:
            tab.get_by_role("link", name="Download PDF").click()
        assert download.value.suggested_filename.startswith("cledss-summary-")
        assert download.value.suggested_filename.endswith(".pdf")
    finally:
        context.close()
