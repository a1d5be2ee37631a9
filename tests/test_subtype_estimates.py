"""A subtype odds ratio names its outcome and comparator and reaches only patients of that subtype."""

import json

import pytest

from tests.support import page_text, pdf_pages

OTHER_SUBTYPES_ESTIMATES = ("5.71", "5.82", "154.63", "odds ratio 30", "1.36 to 24.06")
COMPARATOR = "against the study's patients with other subtypes"


def surfaces(client, made_pdf, subtype) -> dict[str, str]:
    query = {"subtype": subtype, "antimalarial_status": "refractory"}
    return {
        "page": page_text(client.get("/result/", query)),
        "pdf": " ".join(pdf_pages(made_pdf("/result/full-evidence/pdf/", query))),
        "api": json.dumps(client.get("/api/assessment", query).json()),
    }


@pytest.mark.parametrize("subtype", ["tumidus", "chilblain"])
def test_tumidus_and_chilblain_see_no_other_subtypes_odds_ratio_anywhere(client, made_pdf, subtype):
    for where, text in surfaces(client, made_pdf, subtype).items():
        assert not [e for e in OTHER_SUBTYPES_ESTIMATES if e in text], where
        assert "gives no estimate of relapse or remission for" in text, where


def test_scle_sees_its_own_remission_estimate_with_the_comparator_everywhere(client, made_pdf):
    for where, text in surfaces(client, made_pdf, "scle").items():
        assert "odds ratio 30 (95% CI 5.82 to 154.63), " + COMPARATOR in text, where
        assert "5.71" not in text, where


def test_dle_sees_its_own_relapse_estimate_with_the_comparator(client, made_pdf):
    text = surfaces(client, made_pdf, "dle")["page"]
    assert "associated with relapse: odds ratio 5.71 (95% CI 1.36 to 24.06), " + COMPARATOR in text
    assert "5.82" not in text


def test_remission_and_relapse_plots_are_separate_svgs_with_their_own_titles(client, seeded):
    scle = client.get("/result/", {"subtype": "scle", "antimalarial_status": "refractory"}).content.decode()
    dle = client.get("/result/", {"subtype": "dle", "antimalarial_status": "refractory"}).content.decode()
    assert scle.count('class="forest-plot"') == 1 and dle.count('class="forest-plot"') == 1
    assert "Odds ratio of long-term remission after stopping: Subacute CLE (SCLE) against" in scle and "Odds ratio of relapse" not in scle
    assert "Odds ratio of relapse: Discoid LE (DLE) against" in dle and "long-term remission" not in dle.split("forest-plot")[1]
