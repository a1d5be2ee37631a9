"""The PDFs for the chart (summary, full evidence) and for the patient (handout), typeset afresh by Typst from the
assessment's data: downloads that say when and from which evidence they were made, on A4 or Letter, in the page's
language, with curated text as text."""

import io
import re
from datetime import UTC, datetime

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from cledss.clinical.assess import LABEL, assess
from cledss.evidence import workflow
from cledss.evidence.models import Finding, Study
from cledss.evidence.snapshot import published_snapshot
from tests.conftest import ARTIFACTS
from tests.pdf_structure import comparable, page_texts
from tests.support import patient, without_spaces

QUERY = "subtype=scle&antimalarial_status=refractory"
DOCUMENTS = {"/result/pdf/": "summary", "/result/full-evidence/pdf/": "full-evidence", "/result/handout/pdf/": "handout"}
# A curated statement that would be live markup if the data were ever pasted into the document's code.
MARKUP = "#set page(width: 1cm) $x$ *bold* <script>"


def save(content: bytes, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(content)


@pytest.mark.parametrize("path, kind", DOCUMENTS.items())
def test_each_is_a_pdf_download_named_with_todays_date_and_kept_by_no_cache(made_pdf, path, kind):
    response = made_pdf(f"{path}?{QUERY}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="cledss-{kind}-{timezone.localdate():%Y-%m-%d}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-")
    save(response.content, f"{kind}-scle-refractory.pdf")


@pytest.mark.parametrize("path", ["/result/pdf/", "/result/full-evidence/pdf/"])
def test_every_page_carries_the_label_the_time_the_evidence_version_and_its_number(client, seeded, clock, path):
    clock(datetime(2031, 5, 6, 7, 8, tzinfo=UTC))
    pages = page_texts(client.get(f"{path}?{QUERY}&can_become_pregnant=on").content)
    version = published_snapshot().version
    for number, page in enumerate(pages, 1):
        assert LABEL.message in " ".join(page.split())
        assert "2031-05-06 07:08" in page
        assert f"Evidence version {version}" in " ".join(page.split())
        assert f"Page {number} of {len(pages)}" in page


def test_the_full_evidence_holds_every_section_the_tables_and_every_reference(made_pdf):
    response = made_pdf(f"/result/full-evidence/pdf/?{QUERY}")
    text = " ".join(" ".join(page.split()) for page in page_texts(response.content))
    assessment = assess(patient("scle"), published_snapshot())
    headings = [str(section.title) for section in assessment.sections]
    headings += ["Does the evidence apply to this patient?", "Summary of findings", "All cohorts side by side", "References"]
    assert [h for h in headings if comparable(h) not in comparable(text)] == []
    statements = [s.text for s in assessment.statements]
    assert [s for s in statements if comparable(s) not in comparable(text)] == []
    for source in assessment.sources:
        assert comparable(source.citation) in comparable(text), source.key
        if source.pmid:
            assert f"PMID{source.pmid}" in without_spaces(text), source.key
        if source.doi:
            assert f"DOI{source.doi}" in without_spaces(text), source.key


def test_the_result_page_links_the_full_evidence_beside_the_summarys_pdfs(client, seeded):
    page = client.get(f"/result/?{QUERY}").content.decode()
    summary = page.index("/result/pdf/?")
    full = page.index(f'href="/result/full-evidence/pdf/?{QUERY.replace("&", "&amp;")}">Full evidence (PDF)</a>')
    assert 0 < full - summary < 400


def test_us_letter_is_available_and_a4_is_the_default(made_pdf):
    for path in DOCUMENTS:
        a4 = PdfReader(io.BytesIO(made_pdf(f"{path}?{QUERY}").content)).pages[0].mediabox
        letter = PdfReader(io.BytesIO(made_pdf(f"{path}?{QUERY}&paper=letter").content)).pages[0].mediabox
        assert (round(a4.width), round(a4.height)) == (595, 842), path
        assert (round(letter.width), round(letter.height)) == (612, 792), path


def test_the_spanish_pdfs_are_in_spanish_on_every_page(made_pdf):
    with translation.override("es"):
        label = str(LABEL)
    for path in DOCUMENTS:
        response = made_pdf(f"/es{path}?{QUERY}")
        pages = page_texts(response.content)
        if path != "/result/handout/pdf/":
            assert all(label in " ".join(page.split()) for page in pages), path
        assert PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == "es", path


def test_it_names_the_patients_features_but_no_link_or_metadata_identifies_the_patient(made_pdf):
    response = made_pdf(f"/result/pdf/?{QUERY}&can_become_pregnant=on")
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Evidence summary · cledss"
    assert "?" not in str(dict(reader.metadata))
    assert "This patient can become pregnant" in " ".join(" ".join(page.split()) for page in page_texts(response.content))
    links = [
        annotation.get_object().get("/A", {}).get("/URI", "") for page in reader.pages for annotation in page.get("/Annots") or []
    ]
    assert links, "the references link to PubMed and the DOI resolver"
    # The only link back to cledss is the evidence version's What's new entry, which says nothing of the patient.
    assert {link for link in links if "testserver" in link} == {"http://testserver/whats-new/#v1"}, links


@pytest.mark.parametrize("path", DOCUMENTS)
def test_a_bad_query_an_unknown_paper_and_a_post_are_refused(client, seeded, path):
    bad = client.get(f"{path}?subtype=nonsense&antimalarial_status=refractory")
    assert bad.status_code == 400
    assert "Choose one of the listed CLE subtypes." in bad.content.decode()
    assert client.get(f"{path}?{QUERY}&paper=a3").status_code == 400
    post = client.post(f"{path}?{QUERY}")
    assert (post.status_code, post["Allow"]) == (405, "GET, HEAD")


def _publish_statement(text: str, *, curator, reviewer) -> str:
    """The label's birth-defects statement, which every patient's summary shows, rewritten and published through
    review; the statement it replaced."""
    finding = Finding.objects.get(study=Study.objects.get(key="thalidomide-label"), key="birth-defects")
    revision = workflow.revise(finding, user=curator)
    revision.statement = text
    revision.full_clean()
    revision.save()
    workflow.submit(revision, user=curator)
    workflow.publish(revision, reviewer=reviewer, summary="Markup as text")
    return finding.statement


def _without_version(text: str) -> str:
    return re.sub(r"v\d+\(sha[0-9a-f]+\)|whatsnew/#v\d+", "", comparable(text))


def test_curated_markup_is_printed_verbatim_and_changes_nothing_else(client, seeded, curator, reviewer, clock):
    clock(datetime(2031, 5, 6, 7, 8, tzinfo=UTC))
    before = client.get(f"/result/pdf/?{QUERY}").content
    original = _publish_statement(MARKUP, curator=curator, reviewer=reviewer)
    after = client.get(f"/result/pdf/?{QUERY}").content

    assert MARKUP in " ".join(" ".join(page_texts(after)).split())
    # The same pages, the same size, and the same text but for the statement (and the version it was published in).
    boxes = lambda document: [tuple(page.mediabox) for page in PdfReader(io.BytesIO(document)).pages]  # noqa: E731
    assert boxes(after) == boxes(before)
    expected = _without_version(" ".join(page_texts(before))).replace(comparable(original), comparable(MARKUP))
    assert _without_version(" ".join(page_texts(after))) == expected
