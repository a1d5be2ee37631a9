"""Every source is cited completely where verified and simply shorter where not: never a placeholder."""

import json

import pytest

from cledss.clinical.assess import assess
from cledss.clinical.body_of_evidence import EvidenceSnapshot
from tests.support import page_text, patient, pdf_pages

PLACEHOLDERS = ("as in PubMed record", "journal record", "as in the PubMed record", "not verified)", "title and journal")
SETID = "2eda833b-1357-4ed4-a093-194524fcb061"
EVERYONE = {"subtype": "scle", "antimalarial_status": "refractory", "smoker": "on"}


def test_every_seed_source_has_a_title_or_a_pmid_and_a_way_to_find_it(seed_records):
    for study in seed_records:
        assert study["pmid"] or study["doi"] or study["url"], study["key"]
        # Only a source whose title could not be verified goes without one, and then its PMID or DOI names it.
        assert study["title"] or study["pmid"] or study["doi"], study["key"]
        assert study["title"] in study["citation"], study["key"]


def test_sources_without_a_verified_title_are_only_those_the_fact_sheet_marks(seed_records):
    assert [s["key"] for s in seed_records if not s["title"]] == ["briani-2005", "chasset-2016"]


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_no_citation_carries_a_placeholder(seed_records, placeholder):
    text = json.dumps(seed_records)
    if placeholder == "not verified)":
        # The label's revision date is the one unverified part the fact sheet asks to be named.
        text = text.replace("(label revision date not verified)", "")
    assert placeholder not in text


def test_the_label_cites_its_dailymed_setid_page(seed_records):
    label = next(s for s in seed_records if s["key"] == "thalidomide-label")
    assert label["url"] == f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={SETID}"
    assert "search" not in label["url"]


def test_the_page_lists_every_source_with_its_title_and_the_label_links_its_setid(client, seeded, seed_records):
    response = client.get("/result/", EVERYONE)
    text, html = page_text(response), response.content.decode()
    evidence = EvidenceSnapshot.from_records(seed_records, version="seed")
    cited = assess(patient("scle", "refractory", smoker=True), evidence).sources
    assert len(cited) >= 10
    for source in cited:
        assert source.title or source.pmid or source.doi, source.key
        assert source.citation in text and (not source.title or source.title in text), source.key
    assert f'href="https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={SETID}"' in html
    assert not any(p in text for p in PLACEHOLDERS[:3])


def test_the_pdf_carries_every_cited_title_and_no_placeholder(client, seeded, seed_records):
    text = " ".join(pdf_pages(client.get("/result/full-evidence/pdf/", EVERYONE)))
    evidence = EvidenceSnapshot.from_records(seed_records, version="seed")
    for source in assess(patient("scle", "refractory", smoker=True), evidence).sources:
        assert not source.title or " ".join(source.title.split()) in text, source.key
    assert not any(p in text for p in PLACEHOLDERS[:3])


def test_every_fhir_citation_has_a_title_and_an_identifier_or_link(client, seeded, seed_records):
    bundle = client.get("/fhir/Bundle/evidence").json()
    citations = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Citation"]
    assert len(citations) == len(seed_records)
    for citation in citations:
        artifact = citation["citedArtifact"]
        assert citation["title"]
        assert artifact.get("title") or artifact.get("identifier")
        assert artifact.get("identifier") or artifact.get("webLocation")
    label = next(c for c in citations if c["identifier"][0]["value"] == "thalidomide-label")
    assert label["citedArtifact"]["webLocation"][0]["url"].endswith(f"setid={SETID}")
    assert not any(p in json.dumps(bundle) for p in PLACEHOLDERS[:3])


def test_every_seed_source_and_finding_gives_the_reason_for_its_certainty(seed_records):
    for study in seed_records:
        assert study["certainty_reason"] and study["certainty_reason_es"], study["key"]
        for finding in study["findings"]:
            assert finding["certainty_reason"] and finding["certainty_reason_es"], (study["key"], finding["key"])


def test_guideline_and_label_are_not_given_a_grade_level(seed_records):
    kinds = {s["key"]: {s["certainty"], *(f["certainty"] for f in s["findings"])} for s in seed_records}
    assert kinds["kuhn-2017"] == {"consensus"}
    assert kinds["thalidomide-label"] == {"regulatory"}
    assert all(k <= {"high", "moderate", "low", "very_low"} for key, k in kinds.items() if key not in ("kuhn-2017", "thalidomide-label"))


def test_the_rating_guide_for_curators_covers_every_seed_source(seed_records):
    from pathlib import Path

    guide = (Path(__file__).resolve().parent.parent / "docs" / "certainty.md").read_text(encoding="utf-8")
    for study in seed_records:
        assert f"({study['key']})" in guide and study["certainty_reason"] in guide, study["key"]
