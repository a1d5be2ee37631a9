"""In real Chromium: a published figure is corrected beside the live row, and What's new records it."""

import pytest

from tests.conftest import ARTIFACTS, make_user
from tests.support import SCLE_RESULT
from tests.test_accessibility import axe_violations
from tests.test_browser_curation import log_in

pytestmark = pytest.mark.browser

PUBLISHED_OR = "odds ratio 30 (95% CI 5.82 to 154.63)"
CORRECTED_OR = "odds ratio 30 (95% CI 5.82 to 160)"


def test_a_curator_corrects_the_scle_odds_ratio_and_clinicians_see_it_only_once_a_reviewer_publishes_it(
    chromium, live_server, seeded_live
):
    from cledss.evidence.models import Finding

    make_user("carla", "Curator")
    make_user("rafael", "Reviewer")
    live = Finding.objects.get(study__key="cortes-hernandez-2012", key="scle-long-term-remission")
    curator_context, reviewer_context, clinician_context = (chromium.new_context() for _ in range(3))
    try:
        curator, reviewer, clinician = (c.new_page() for c in (curator_context, reviewer_context, clinician_context))
        clinician.goto(live_server.url + SCLE_RESULT)
        assert PUBLISHED_OR in clinician.inner_text("body")
        version_before = clinician.inner_text(".summary-actions .evidence-version")

        log_in(curator, live_server, "carla", f"/admin/evidence/finding/{live.pk}/change/")
        curator.get_by_role("button", name="Open a revision").click()
        curator.wait_for_load_state()
        assert f"This is a revision of #{live.pk}" in curator.inner_text(".workflow")
        curator.fill("#id_upper", "160")
        curator.get_by_role("button", name="Save and continue editing").click()
        curator.wait_for_load_state()
        curator.get_by_role("button", name="Submit for review").click()
        curator.wait_for_load_state()
        assert "In review" in curator.inner_text(".workflow")
        revision_path = curator.url.removeprefix(live_server.url)

        clinician.reload()
        assert PUBLISHED_OR in clinician.inner_text("body") and CORRECTED_OR not in clinician.inner_text("body")
        assert clinician.inner_text(".summary-actions .evidence-version") == version_before

        log_in(reviewer, live_server, "rafael", revision_path)
        reviewer.locator("form", has=reviewer.get_by_role("button", name="Publish")).get_by_label("Note").fill(
            "Upper limit corrected to the journal's erratum."
        )
        reviewer.get_by_role("button", name="Publish").click()
        reviewer.wait_for_load_state()
        assert "Published into the live row" in reviewer.inner_text(".workflow")

        clinician.reload()
        body = clinician.inner_text("body")
        assert CORRECTED_OR in body and PUBLISHED_OR not in body
        version_after = clinician.inner_text(".summary-actions .evidence-version")
        assert version_after.startswith("v2 (sha ") and version_after != version_before

        clinician.get_by_role("link", name="what changed").click()
        clinician.wait_for_url("**/whats-new/#v2")
        entry = clinician.inner_text("#v2")
        assert "Upper limit corrected to the journal's erratum." in entry
        assert f"was {PUBLISHED_OR}" in entry and f"now {CORRECTED_OR}" in entry
        ARTIFACTS.mkdir(exist_ok=True)
        clinician.screenshot(path=ARTIFACTS / "whats-new.png", full_page=True)
    finally:
        for context in (curator_context, reviewer_context, clinician_context):
            context.close()


@pytest.fixture
def axe_page(chromium, live_server):
    context = chromium.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", ["/whats-new/", "/es/whats-new/", "/whats-new/feed.json", "/whats-new/feed.atom"])
def test_whats_new_and_its_feeds_have_no_wcag_violations(axe_page, live_server, seeded_live, path):
    from cledss.evidence import workflow
    from cledss.evidence.models import Finding

    curator, reviewer = make_user("carla", "Curator"), make_user("rafael", "Reviewer")
    revision = workflow.revise(Finding.objects.get(study__key="yuki-2021", key="neuropathy-confirmed"), user=curator)
    revision.statement = revision.statement + " (corrected)"
    revision.full_clean()
    revision.save()
    workflow.submit(revision, user=curator)
    workflow.publish(revision, reviewer=reviewer, summary="Wording corrected.")
    axe_page.goto(live_server.url + path)
    assert axe_violations(axe_page) == []
