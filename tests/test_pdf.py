"""The evidence summary as a PDF for the chart: the result page's template, rendered by WeasyPrint."""

import io
import logging
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cledss.assessment.pdf import StaticFetcher, lay_out
from cledss.clinical.assess import LABEL as LABEL_PHRASE
from cledss.clinical.assess import assess
from cledss.evidence.snapshot import published_snapshot
from tests.conftest import ARTIFACTS
from tests.support import patient, pdf_pages, without_spaces

LABEL = LABEL_PHRASE.message

SCLE = "/result/pdf/?subtype=scle&antimalarial_status=refractory"
DLE = "/result/pdf/?subtype=dle&antimalarial_status=refractory"


def save(response, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(response.content)


def test_it_is_a_pdf_download_named_with_todays_date(client, seeded):
    response = client.get(SCLE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="cledss-summary-{timezone.localdate():%Y-%m-%d}.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "url, subtype, remission",
    [
        (SCLE, "scle", "odds ratio 30 (95% CI 5.82 to 154.63)"),
        (DLE, "dle", "odds ratio 5.71 (95% CI 1.36 to 24.06)"),
    ],
)
def test_every_page_carries_the_label_and_the_summary_carries_figures_version_and_sources(
    client, seeded, snapshot, url, subtype, remission
):
    response = client.get(url)
    save(response, f"summary-{subtype}-refractory.pdf")
    pages = pdf_pages(response)
    text = " ".join(pages)

    assert all(LABEL in page for page in pages), pages
    assert all(re.search(r"Page \d of \d", page) for page in pages)
    assert "58/59 (98%)" in text
    assert remission in text
    assert published_snapshot().version in text
    for heading in ("Inputs used", "Does the evidence apply", "References", "All cohorts side by side", "Practical issues"):
        assert heading in text
    for source in assess(patient(subtype), snapshot).sources:
        assert source.pmid or source.doi or source.url
        if source.pmid:
            assert f"PMID{source.pmid}" in without_spaces(text), source.key
        if source.doi:
            assert f"DOI{source.doi}" in without_spaces(text), source.key
        if source.url and not (source.pmid or source.doi):
            assert without_spaces(source.url) in without_spaces(text), source.key


@pytest.mark.parametrize("url", [SCLE, DLE, SCLE + "&paper=letter"])
def test_a_typical_summary_fits_on_five_pages(client, seeded, url):
    # Two pages until every patient got the label's safety facts, the neuropathy evidence with its
    # conflicts (issue 10), the cohorts table and the practical issues (issue 11).
    assert len(pdf_pages(client.get(url))) <= 5


def test_us_letter_is_available_and_a4_is_the_default(client, seeded):
    a4 = PdfReader(io.BytesIO(client.get(SCLE).content)).pages[0].mediabox
    letter = PdfReader(io.BytesIO(client.get(SCLE + "&paper=letter").content)).pages[0].mediabox
    assert (round(a4.width), round(a4.height)) == (595, 842)
    assert (round(letter.width), round(letter.height)) == (612, 792)


def test_it_holds_the_clinical_features_but_no_link_or_metadata_that_could_identify_the_patient(client, seeded):
    response = client.get(SCLE + "&can_become_pregnant=on")
    reader = PdfReader(io.BytesIO(response.content))
    assert dict(reader.metadata) == {"/Producer": reader.metadata["/Producer"], "/Title": "Evidence summary · cledss"}
    assert "This patient can become pregnant" in " ".join(pdf_pages(response))
    links = [
        annotation.get_object().get("/A", {}).get("/URI", "")
        for page in reader.pages
        for annotation in page.get("/Annots") or []
    ]
    assert links, "the citations link to PubMed and the DOI resolver"
    # The only link back to cledss is the evidence version's What's new entry, which says nothing of the patient.
    assert {link for link in links if "testserver" in link} == {"http://testserver/whats-new/#v1"}, links
    assert not [link for link in links if "subtype=" in link or "?" in link and "testserver" in link], links


def test_the_pdf_reads_the_apps_static_files_and_nothing_else():
    fetch = StaticFetcher("http://testserver/")
    assert fetch("http://testserver/static/css/print.css").read().startswith(b"/*")
    for url in (
        "https://cdn.example.org/static/css/print.css",
        "http://testserver/admin/",
        "http://testserver/static/../cledss/settings.py",
        "file:///etc/passwd",
    ):
        with pytest.raises((ValueError, FileNotFoundError)):
            fetch(url)


def test_a_pdf_laid_out_logs_nothing_of_browser_only_css_but_a_file_it_cannot_load_still_reaches_the_log(
    client, seeded, caplog
):
    caplog.set_level(logging.INFO)
    assert client.get(SCLE).status_code == 200
    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []

    lay_out('<html lang="en"><img src="/static/img/not-there.png" alt=""></html>', "http://testserver/", "a4")
    failures = [record for record in caplog.records if record.name.startswith("weasyprint")]
    assert [record.levelno for record in failures] == [logging.ERROR]
    assert "not-there.png" in failures[0].getMessage()


def test_the_label_in_the_print_footer_is_the_clinical_cores_label(client):
    response = client.get("/static/css/print.css")
    assert f'"{LABEL}"' in b"".join(response.streaming_content).decode()


def test_a_bad_query_gets_the_form_back_with_400(client, seeded):
    response = client.get("/result/pdf/?subtype=nonsense&antimalarial_status=refractory")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Choose one of the listed CLE subtypes." in response.content.decode()


def test_an_unknown_paper_size_gets_400(client, seeded):
    assert client.get(SCLE + "&paper=a3").status_code == 400


def test_post_is_refused_with_405(client, seeded):
    response = client.post(SCLE)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_spanish_pdf_carries_the_spanish_label_on_every_page(client, seeded):
    response = client.get("/es" + SCLE)
    assert response.status_code == 200
    pages = pdf_pages(response)
    assert all("Informativo, no es una herramienta de prescripción" in page for page in pages), pages
    assert all(re.search(r"Página \d de \d", page) for page in pages), pages
    assert "odds ratio 30 (IC del 95% 5.82 a 154.63)" in " ".join(pages)
