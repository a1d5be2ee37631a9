"""Every claim is worded for every certainty its evidence can have, the way GRADE guideline 26 words it."""

import pytest
from django.utils import translation

from cledss.clinical.assess import assess
from cledss.clinical.assess.claims import CLAIMS, PRACTICE
from cledss.clinical.body_of_evidence import GRADE_LEVELS, Certainty, EvidenceSnapshot
from cledss.clinical.features import AntimalarialStatus, PatientFeatures, Subtype

# What each level's sentence must say, and what it must not (a stronger level's wording).
MARKERS = {
    Certainty.HIGH: ((), ("probably", "may ", "very uncertain", "consensus")),
    Certainty.MODERATE: (("probably",), ("may ", "very uncertain")),
    Certainty.LOW: (("may",), ("probably", "very uncertain")),
    Certainty.VERY_LOW: (("very uncertain",), ("probably",)),
}
LEVELS = [(claim, level) for claim in CLAIMS if claim is not PRACTICE for level in GRADE_LEVELS]


@pytest.mark.parametrize("claim, level", LEVELS, ids=[f"{c.name}-{lvl}" for c, lvl in LEVELS])
def test_each_grade_level_of_each_claim_uses_its_own_wording(claim, level):
    sentence = claim.wording[level].message
    required, forbidden = MARKERS[level]
    assert all(word in sentence for word in required), sentence
    assert not any(word in sentence for word in forbidden), sentence


def test_findings_reported_in_their_own_terms_name_consensus_and_regulatory_facts_as_such():
    from cledss.clinical.assess.claims import MEASURED, REPORTED

    for claim in (REPORTED, MEASURED):
        assert "expert consensus, not graded evidence" in claim.wording[Certainty.CONSENSUS].message
        assert "may" not in claim.wording[Certainty.REGULATORY].message
        assert "probably" not in claim.wording[Certainty.REGULATORY].message


def test_what_a_study_did_reads_the_same_at_every_certainty():
    """A procedure (how often a study tested nerves) is a fact about the study, not an uncertain estimate."""
    assert {PRACTICE.wording[level].message for level in Certainty} == {"%(statement)s"}


def test_a_level_a_claim_has_no_sentence_for_falls_back_to_the_most_cautious_wording():
    from cledss.clinical.assess.claims import RESPONSE

    said = RESPONSE.say(Certainty.REGULATORY, figure="58/59", study="S1", wilson="")
    assert "but the evidence is very uncertain" in str(said)


def test_every_claim_covers_the_four_grade_levels():
    for claim in CLAIMS:
        assert set(GRADE_LEVELS) <= set(claim.wording), claim.name


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_curated_sentence_is_followed_by_its_figure_never_joined_to_it_by_a_colon(seed_records, language):
    evidence = EvidenceSnapshot.from_records(seed_records, version="seed", language=language)
    with translation.override(language):
        texts = [str(s.text) for s in assess(PatientFeatures(Subtype.SCLE, AntimalarialStatus.REFRACTORY), evidence).statements]
    assert not [text for text in texts if ".:" in text]
    figure = "Reported figure: 5/11 (45%)" if language == "en" else "Cifra descrita: 5/11 (45%)"
    assert any(figure in text for text in texts), [t for t in texts if "5/11" in t]
