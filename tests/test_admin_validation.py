"""Each validation rule rejects bad data in the admin form with its own message."""

import pytest

from cledss.evidence import validation
from cledss.evidence.models import Finding, Study
from tests.support import finding_data, page_text, study_form_with_new_finding

FINDING_ADD = "/admin/evidence/finding/add/"
STUDY_ADD = "/admin/evidence/study/add/"


def study_data(**overrides):
    data = {
        "key": "stevens-1997",
        "short": "Stevens et al. 1997",
        "title": "Thalidomide in the treatment of the cutaneous manifestations of lupus erythematosus: experience in "
        "sixteen consecutive patients",
        "citation": "Stevens RJ, et al. Br J Rheumatol. 1997;36(3):353.",
        "year": "1997",
        "role": "supporting",
        "pmid": "",
        "doi": "10.1093/rheumatology/36.3.353",
        "url": "",
        "design": "Cohort",
        "setting": "",
        "size": "16",
        "population": "16 patients with cutaneous lupus.",
        "intervention": "",
        "follow_up": "",
        "subtypes_reported": '["dle"]',
        "certainty": "low",
        "certainty_reason": "",
        "findings-TOTAL_FORMS": "0",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(overrides)
    return data


@pytest.fixture
def curator_client(client, seeded, curator):
    client.force_login(curator)
    return client


def test_a_valid_finding_is_saved_as_a_draft_by_the_curator(curator_client, curator):
    response = curator_client.post(FINDING_ADD, finding_data())
    assert response.status_code == 302, page_text(response)
    finding = Finding.objects.get(study__key="cuadrado-2005", key="neuropathy-alternate-days")
    assert (finding.status, finding.changed_by) == ("draft", curator)


def test_one_decimal_percentage_that_matches_its_counts_is_accepted(curator_client):
    response = curator_client.post(FINDING_ADD, finding_data(numerator="10", denominator="14", estimate="71.4", key="x"))
    assert response.status_code == 302, page_text(response)


FINDING_RULES = [
    ({"lower": "30", "upper": "20", "interval": "ci95"}, validation.LOWER_ABOVE_UPPER),
    ({"estimate": "27", "lower": "28", "upper": "35", "interval": "ci95"}, validation.ESTIMATE_BELOW_LOWER),
    ({"estimate": "27", "lower": "20", "upper": "26", "interval": "ci95"}, validation.ESTIMATE_ABOVE_UPPER),
    ({"lower": "20", "upper": "", "interval": "ci95"}, validation.INTERVAL_NEEDS_BOTH_LIMITS),
    ({"lower": "20", "upper": "35", "interval": ""}, validation.LIMITS_NEED_INTERVAL_KIND),
    ({"measure": "relative_risk", "numerator": "", "denominator": "", "estimate": "8.2"}, validation.RATIO_NEEDS_COMPARATOR),
    ({"certainty": "consensus"}, validation.CERTAINTY_NEEDS_GRADE),
    ({"numerator": "49"}, validation.NUMERATOR_ABOVE_DENOMINATOR),
    ({"numerator": "-1"}, validation.COUNT_NEGATIVE),
    ({"denominator": "-4", "numerator": ""}, validation.COUNT_NEGATIVE),
    ({"denominator": ""}, validation.COUNTS_COME_IN_PAIRS),
    ({"numerator": "0", "denominator": "0", "estimate": ""}, validation.DENOMINATOR_ZERO),
    # S4's abstract prints the partial response as 4 (27%), but 4/24 is 17%.
    ({"numerator": "4", "denominator": "24", "estimate": "27"}, "The percentage 27% disagrees with 4/24 (16.7%) beyond rounding."),
    ({"numerator": "", "denominator": "", "estimate": "127"}, validation.PROPORTION_RANGE),
    ({"numerator": "", "denominator": "", "estimate": ""}, validation.PROPORTION_NEEDS_FIGURE),
    ({"measure": "odds_ratio", "numerator": "", "denominator": "", "estimate": "0"}, validation.RATIO_POSITIVE),
    (
        {"measure": "relative_risk", "numerator": "", "denominator": "", "estimate": "2", "lower": "-1", "upper": "4", "interval": "ci95"},
        validation.RATIO_POSITIVE,
    ),
    ({"measure": "duration", "numerator": "", "denominator": "", "estimate": "-3", "unit": "weeks"}, validation.DURATION_NEGATIVE),
    ({"measure": "duration", "numerator": "", "denominator": "", "estimate": "3", "unit": ""}, validation.DURATION_NEEDS_UNIT),
    ({"statement": ""}, "This field is required."),
]


@pytest.mark.parametrize("overrides, message", FINDING_RULES, ids=[m[:40] for _, m in FINDING_RULES])
def test_admin_finding_form_rejects_bad_data_with_its_message(curator_client, overrides, message):
    response = curator_client.post(FINDING_ADD, finding_data(**overrides))
    assert response.status_code == 200
    assert message in page_text(response)
    assert not Finding.objects.filter(study__key="cuadrado-2005", key="neuropathy-alternate-days").exists()


STUDY_RULES = [
    ({"pmid": "PMID 6838771"}, validation.PMID_DIGITS),
    ({"pmid": "6838771a"}, validation.PMID_DIGITS),
    ({"doi": "doi.org/10.1046/j.1365-4362.2000.00953.x"}, validation.DOI_SYNTAX),
    ({"doi": "10.12/abc"}, validation.DOI_SYNTAX),
    ({"pmid": "", "doi": "", "url": ""}, validation.SOURCE_LOCATOR_REQUIRED),
    ({"subtypes_reported": '["discoid"]'}, "List the subtypes as codes from: acle, scle, dle"),
    ({"subtypes_reported": '"dle"'}, "List the subtypes as codes from: acle, scle, dle"),
    ({"citation": ""}, "This field is required."),
    ({"title": "", "pmid": "", "doi": "", "url": "https://example.org/stevens"}, validation.TITLE_REQUIRED),
    ({"certainty": "regulatory"}, validation.CERTAINTY_NEEDS_GRADE),
    ({"role": "guideline"}, "A guideline source carries the certainty 'consensus', not a GRADE level."),
    ({"short": ""}, "This field is required."),
    ({"design": ""}, "This field is required."),
]


@pytest.mark.parametrize("overrides, message", STUDY_RULES, ids=[m[:40] for _, m in STUDY_RULES])
def test_admin_study_form_rejects_bad_data_with_its_message(curator_client, overrides, message):
    response = curator_client.post(STUDY_ADD, study_data(**overrides))
    assert response.status_code == 200
    assert message in page_text(response)
    assert not Study.objects.filter(key="stevens-1997").exists()


def test_a_study_with_a_pmid_or_doi_may_go_without_a_title_that_is_not_verified(curator_client):
    response = curator_client.post(STUDY_ADD, study_data(title=""))
    assert response.status_code == 302, page_text(response)


def test_a_valid_study_with_a_doi_only_is_saved(curator_client):
    response = curator_client.post(STUDY_ADD, study_data(pmid="", doi="10.1093/rheumatology/36.3.353"))
    assert response.status_code == 302, page_text(response)


def test_a_bad_finding_added_inside_its_study_is_rejected_there(curator_client):
    study = Study.objects.get(key="cuadrado-2005")
    url = f"/admin/evidence/study/{study.pk}/change/"
    data = study_form_with_new_finding(study, finding_data(numerator="60"))
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert validation.NUMERATOR_ABOVE_DENOMINATOR in page_text(response)


def test_a_misprinted_percentage_is_accepted_only_with_a_curator_note(curator_client):
    misprint = {"numerator": "4", "denominator": "24", "estimate": "27"}
    refused = curator_client.post(FINDING_ADD, finding_data(**misprint))
    assert refused.status_code == 200
    assert "if the source printed it so, say that in the curator note" in page_text(refused)
    accepted = curator_client.post(FINDING_ADD, finding_data(**misprint, curator_note="The abstract prints 4 (27%)."))
    assert accepted.status_code == 302


def test_the_admin_flags_a_sources_misprints_in_the_list_and_on_the_finding(client, curator, seeded):
    client.force_login(curator)
    listed = page_text(client.get("/admin/evidence/finding/?q=partial"))
    assert "The percentage 27% disagrees with 4/24 (16.7%)" in listed
    finding = Finding.objects.get(study__key="j-dermatolog-treat-cohort", key="partial-response")
    shown = page_text(client.get(f"/admin/evidence/finding/{finding.pk}/change/"))
    assert "Printed so by the source (see the curator note): The percentage 27% disagrees with 4/24" in shown
    assert "4/24 is 17%" in shown
