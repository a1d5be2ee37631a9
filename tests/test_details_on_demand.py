"""Sections open and close without JavaScript, by mouse or keyboard; on paper every one is open."""

import re

import pytest

from tests.support import pdf_pages

pytestmark = pytest.mark.browser

RESULT = "/result/?subtype=scle&antimalarial_status=refractory&can_become_pregnant=on"


def test_sections_open_and_close_without_javascript(chromium, live_server, seeded_live):
    context = chromium.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + RESULT)
    statement = tab.locator("details.section-response li").first
    assert not statement.is_visible()
    tab.click("details.section-response > summary")
    assert statement.is_visible()
    tab.click("details.section-response > summary")
    assert not statement.is_visible()
    context.close()


def test_a_key_point_link_opens_its_section(chromium, live_server, seeded_live):
    context = chromium.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + RESULT)
    tab.click(".key-points a[href='#monitoring']")
    assert tab.locator("details.section-monitoring").evaluate("d => d.open")
    context.close()


def test_the_keyboard_opens_a_section(page, live_server, seeded_live):
    page.goto(live_server.url + RESULT)
    page.focus("details.section-safety > summary")
    page.keyboard.press("Enter")
    assert page.locator("details.section-safety li").first.is_visible()


def test_print_shows_every_section_open(page, live_server, seeded_live):
    page.goto(live_server.url + RESULT)
    page.emulate_media(media="print")
    for section in ("applicability", "section-response", "section-relapse", "section-monitoring", "section-safety",
                    "section-practical", "summary-of-findings", "cohorts"):
        assert page.locator(f"details.{section} li, details.{section} td").first.is_visible(), section


def test_the_pdf_shows_every_section(made_pdf):
    text = " ".join(pdf_pages(made_pdf("/result/full-evidence/pdf/?subtype=scle&antimalarial_status=refractory")))
    for expected in ("58/59 (98%)", "odds ratio 30", "relative risk 20.2", "two reliable methods of contraception",
                     "gave thalidomide 100 mg/day", "Knop et al. 1983", "References"):
        assert expected in text, expected
    assert not re.search(r"▶|►", text)
