"""The strict CSP blocks nothing the app itself needs: no violations in Chromium's console."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/result/?subtype=scle&antimalarial_status=refractory&can_become_pregnant=on",
    "/es/result/?subtype=dle&antimalarial_status=refractory",
    "/result/?subtype=scle",
    "/admin/login/",
]


def csp_violations(page):
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.evaluate("() => {}")
    return violations


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_under_the_policy_without_violations(page, live_server, seeded_live, path):
    violations = csp_violations(page)
    response = page.goto(live_server.url + path)
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    assert violations == []


def test_print_button_script_runs_under_the_policy(page, live_server, seeded_live):
    violations = csp_violations(page)
    page.goto(live_server.url + PAGES[1])
    assert page.get_by_role("button", name="Print").is_visible()
    assert violations == []


def test_curation_pages_work_under_the_policy(page, live_server, seeded_live):
    get_user_model().objects.create_superuser("admin", "a@example.org", "a-long-admin-password")
    violations = csp_violations(page)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("a-long-admin-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    for path in ["/admin/evidence/study/", "/admin/evidence/finding/", "/admin/evidence/study/1/change/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    assert violations == []
