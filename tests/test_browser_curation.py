"""A curator adds a finding, a reviewer publishes it, and the clinician's page shows it: in real Chromium."""

import pytest

from tests.conftest import ARTIFACTS, PASSWORD, make_user
from tests.support import SCLE_RESULT

pytestmark = pytest.mark.browser

STATEMENT = "These patients started on 50 mg on alternate days; electromyography proved their neuropathy."


def log_in(page, live_server, username, next_path):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_path}")


def test_curator_adds_and_submits_a_finding_and_a_reviewer_publishes_it(page, live_server, seeded_live):
    make_user("carla", "Curator")
    make_user("rafael", "Reviewer")

    page.goto(live_server.url + SCLE_RESULT)
    assert STATEMENT not in page.inner_text("body")
    version_before = page.inner_text(".evidence-version")

    log_in(page, live_server, "carla", "/admin/evidence/finding/add/")
    page.select_option("#id_study", label="Cuadrado et al. 2005")
    page.fill("#id_key", "neuropathy-alternate-days")
    page.select_option("#id_outcome", label="Neuropathy confirmed")
    page.select_option("#id_measure", label="Proportion")
    page.fill("#id_numerator", "4")
    page.fill("#id_denominator", "15")
    page.fill("#id_estimate", "27")
    page.fill("#id_statement", STATEMENT)
    page.select_option("#id_certainty", label="Low")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url("**/change/")
    change_path = page.url.removeprefix(live_server.url)
    assert "Draft" in page.inner_text(".workflow")
    assert page.get_by_role("button", name="Publish").count() == 0

    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert "In review" in page.inner_text(".workflow")
    page.goto(live_server.url + SCLE_RESULT)
    assert STATEMENT not in page.inner_text("body")

    page.goto(live_server.url + "/admin/")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/admin/logout/")

    log_in(page, live_server, "rafael", change_path)
    assert "last changed by carla" in page.inner_text(".workflow")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert "Published" in page.inner_text(".workflow")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-finding-published.png", full_page=True)

    page.goto(live_server.url + SCLE_RESULT)
    page.click("details.cohorts > summary")
    cohorts = page.inner_text("details.cohorts")
    assert "4/15 (27%)" in cohorts and cohorts.index("4/15 (27%)") < cohorts.index("13/48 (27%)")  # in Cuadrado's cell
    version_after = page.inner_text(".evidence-version")
    assert version_after.startswith("v2 (sha ") and version_after != version_before
    assert all(url.startswith(live_server.url) for url in page.requests), page.requests
