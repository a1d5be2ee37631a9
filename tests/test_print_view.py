"""The result page as a browser prints it: Chromium's print emulation, and its own PDF of the page."""

import pytest

from cledss.clinical.assess import LABEL
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

RESULT = "/result/?subtype=scle&antimalarial_status=refractory"


def test_printing_hides_navigation_form_and_buttons_and_keeps_the_label(page, live_server, seeded_live):
    page.goto(live_server.url + RESULT)
    page.emulate_media(media="print")

    assert page.locator("nav").is_hidden()
    assert page.get_by_role("link", name="Change the patient's features").is_hidden()
    header = page.locator(".print-header")
    assert header.is_visible()
    assert LABEL in header.inner_text()
    assert "Evidence version" in header.inner_text()
    assert "58/59 (98%)" in page.inner_text("main")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "result-print.png", full_page=True)
    page.pdf(path=ARTIFACTS / "result-print-chromium.pdf", format="A4")

