"""WCAG 2.1 AA, checked by axe-core in a real Chromium, and the flows that need no mouse or JavaScript."""

from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RESULT = "/result/?subtype=scle&antimalarial_status=refractory&can_become_pregnant=on&smoker=on"
HANDOUT = "/result/handout/?subtype=scle&antimalarial_status=refractory&can_become_pregnant=on&neuropathy=on"


@pytest.fixture
def page(chromium, live_server):
    """A tab that lets axe-core be injected; the app's CSP rightly forbids injected scripts."""
    context = chromium.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    report = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_21_AA,
    )
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in report["violations"]]


@pytest.mark.parametrize(
    "path",
    [
        "/", RESULT, "/result/?subtype=scle", "/result/?subtype=tumidus&antimalarial_status=not_tried", "/es" + RESULT,
        HANDOUT, "/es" + HANDOUT, "/result/handout/?subtype=tumidus&antimalarial_status=not_tried",
    ],
)
def test_pages_have_no_wcag_violations(page, live_server, seeded_live, path):
    page.goto(live_server.url + path)
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/", RESULT, HANDOUT])
def test_headings_go_down_one_level_at_a_time(page, live_server, seeded_live, path):
    page.goto(live_server.url + path)
    page.add_script_tag(path=str(AXE))
    report = page.evaluate("() => axe.run(document, {runOnly: ['heading-order', 'page-has-heading-one']})")
    assert report["violations"] == []


def test_print_view_has_no_wcag_violations(page, live_server, seeded_live):
    page.emulate_media(media="print")
    page.goto(live_server.url + RESULT)
    assert axe_violations(page) == []


def test_admin_login_has_no_wcag_violations(page, live_server, seeded_live):
    page.goto(live_server.url + "/admin/login/")
    assert axe_violations(page) == []


def test_keyboard_alone_reaches_the_result(page, live_server, seeded_live):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    focused_names = []
    for _ in range(40):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.name || document.activeElement.type")
        focused_names.append(name)
        if name == "subtype":
            page.keyboard.press("ArrowDown")
        elif name == "antimalarial_status":
            break
    assert "subtype" in focused_names
    page.keyboard.press("Space")
    while page.evaluate("document.activeElement.type") != "submit":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/result/?*")
    assert "subtype=scle" in page.url and "antimalarial_status=refractory" in page.url
    assert "58/59 (98%)" in page.inner_text("body")


def test_focus_is_visible_on_links_and_controls(page, live_server, seeded_live):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_result_works_without_javascript_and_stays_on_this_origin(chromium, live_server, seeded_live):
    context = chromium.new_context(java_script_enabled=False)
    tab = context.new_page()
    requested = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(live_server.url + RESULT)
    body = tab.inner_text("body")
    context.close()
    assert "58/59 (98%)" in body and "Informational, not a prescribing tool" in body
    assert requested and all(url.startswith(live_server.url) for url in requested), requested


def test_result_page_reflows_at_200_percent_zoom(chromium, live_server, seeded_live):
    context = chromium.new_context(viewport={"width": 640, "height": 900}, device_scale_factor=2)
    tab = context.new_page()
    tab.goto(live_server.url + RESULT)
    overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=ARTIFACTS / "result-zoom-200.png")
    context.close()
    assert overflow <= 0
