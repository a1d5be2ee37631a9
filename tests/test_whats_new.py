"""What's new: every evidence version with what it added, corrected or retracted, for people and machines."""

import html
import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.utils import timezone

from cledss.evidence import workflow
from cledss.evidence.models import Finding, LiteratureSearch
from tests.support import SCLE_RESULT, draft_finding, page_text

ATOM = "{http://www.w3.org/2005/Atom}"
OLD = "odds ratio 30 (95% CI 5.82 to 154.63)"
NEW = "odds ratio 30 (95% CI 5.82 to 160)"


@pytest.fixture
def corrected(seeded, curator, reviewer):
    """The SCLE odds ratio's upper limit corrected through a revision: evidence version 2."""
    live = Finding.objects.get(study__key="cortes-hernandez-2012", key="scle-long-term-remission")
    revision = workflow.revise(live, user=curator)
    revision.upper = "160"
    revision.full_clean()
    revision.save()
    workflow.submit(revision, user=curator)
    workflow.publish(revision, reviewer=reviewer, summary="Upper limit corrected to the journal's erratum.")
    return live


def test_the_page_lists_versions_newest_first_with_old_and_new_figures_and_the_summary(client, corrected):
    text = page_text(client.get("/whats-new/"))
    assert text.index("Version 2") < text.index("Version 1")
    assert "Reviewer's summary: Upper limit corrected to the journal's erratum." in text
    assert "Corrected : Cortés-Hernández et al. 2012. Subacute CLE predicted long-term remission" in text
    assert f"was {OLD}" in text and f"now {NEW}" in text
    assert "Informational, not a prescribing tool" in text


def test_an_addition_and_a_retraction_are_listed_with_their_figures(client, seeded, curator, reviewer):
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)
    workflow.retract(Finding.objects.get(study__key="yuki-2021", key="neuropathy-confirmed"), reviewer=reviewer, note="duplicate cohort")
    text = page_text(client.get("/whats-new/"))
    assert "Added : Cuadrado et al. 2005. These patients started on 50 mg on alternate days. (4/15 (27%))" in text
    assert "Retracted : Yuki et al. 2021." in text
    assert "Reviewer's summary: duplicate cohort" in text


def test_the_page_is_in_spanish_with_the_same_figures(client, corrected):
    text = page_text(client.get("/es/whats-new/"))
    assert "Novedades en la evidencia" in text and "Versión 2" in text
    assert "Corregido : Cortés-Hernández et al. 2012." in text
    assert "antes odds ratio 30 (IC del 95% 5,82 a 154,63)" in text and "ahora odds ratio 30 (IC del 95% 5,82 a 160)" in text


def test_the_literature_search_and_each_sources_last_review_are_shown(client, corrected, curator):
    LiteratureSearch.objects.create(
        searched_on=date(2026, 11, 30), description="PubMed: thalidomide AND cutaneous lupus, all years.",
        description_es="PubMed: talidomida Y lupus cutáneo, todos los años.", recorded_by=curator,
    )
    text = page_text(client.get("/whats-new/"))
    assert "Literature last searched 2026-11-30 : PubMed: thalidomide AND cutaneous lupus, all years." in text
    assert f"Cortés-Hernández et al. 2012 {timezone.now():%Y-%m-%d}" in text
    assert "Yuki et al. 2021 as curated for the first version" in text
    assert "2026-11-30 : PubMed: talidomida Y lupus cutáneo" in page_text(client.get("/es/whats-new/"))


def test_each_result_page_links_to_its_versions_entry(client, corrected):
    html = client.get(SCLE_RESULT).content.decode()
    assert 'href="/whats-new/#v2"' in html
    assert 'id="v2"' in client.get("/whats-new/").content.decode()
    assert 'href="/es/whats-new/#v2"' in client.get("/es" + SCLE_RESULT).content.decode()


def test_the_pdf_links_to_its_versions_entry(client, corrected):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(client.get("/result/pdf/?subtype=scle&antimalarial_status=refractory").content))
    links = [a.get_object()["/A"].get("/URI") for p in reader.pages for a in p.get("/Annots", []) if "/A" in a.get_object()]
    assert "http://testserver/whats-new/#v2" in links


def test_the_json_form_is_what_a_hospital_system_can_watch(client, corrected):
    document = client.get("/whats-new/feed.json").json()
    assert document["label"] == "Informational, not a prescribing tool"
    assert [v["number"] for v in document["versions"]] == [2, 1]
    [change] = document["versions"][0]["changes"]
    assert (change["change"], change["old"], change["new"], change["fields"]) == (
        "corrected", f"{OLD}, against the study's patients with other subtypes", f"{NEW}, against the study's patients with other subtypes", ["upper"]
    )
    assert document["versions"][0]["url"] == "http://testserver/whats-new/#v2"
    assert document["versions"][0]["summary"] == "Upper limit corrected to the journal's erratum."


def test_the_atom_feed_has_an_entry_per_version_and_carries_the_label(client, corrected):
    response = client.get("/whats-new/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}subtitle").text == "Informational, not a prescribing tool"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Evidence version 2", "Evidence version 1"]
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/whats-new/#v2"
    assert NEW in entries[0].find(f"{ATOM}summary").text


def test_the_spanish_feed_is_in_spanish(client, corrected):
    feed = ET.fromstring(client.get("/es/whats-new/feed.atom").content)
    assert feed.find(f"{ATOM}subtitle").text == "Informativo, no es una herramienta de prescripción"
    assert feed.findall(f"{ATOM}entry")[0].find(f"{ATOM}title").text == "Versión de la evidencia 2"
    assert json.loads(client.get("/es/whats-new/feed.json").content)["versions"][0]["changes"][0]["new"].startswith("odds ratio 30 (IC del 95%")


@pytest.mark.parametrize("path", ["/whats-new/", "/whats-new/feed.json", "/whats-new/feed.atom"])
def test_the_pages_only_answer_reading(client, seeded, path):
    assert client.post(path).status_code == 405


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("path, media_type", [("/whats-new/feed.json", "application/json"), ("/whats-new/feed.atom", "application/atom+xml")])
def test_a_program_gets_the_feed_and_a_person_in_a_browser_gets_the_same_text_in_a_titled_page(client, corrected, path, media_type):
    for_program = client.get(path, HTTP_ACCEPT="*/*")
    assert for_program["Content-Type"].startswith(media_type)
    for_person = client.get(path, HTTP_ACCEPT=BROWSER_ACCEPT)
    assert for_person["Content-Type"].startswith("text/html")
    assert for_program.content.decode() in html.unescape(for_person.content.decode())
    assert "Accept" in for_program["Vary"] and "Accept" in for_person["Vary"]
