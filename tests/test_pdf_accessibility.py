"""Every PDF is accessible (PDF/UA-1) and archival (PDF/A-2a), checked on the file itself with pikepdf and poppler,
not by trusting the typesetter that claims it: a tagged structure a screen reader walks (headings, lists, tables with
header cells, figures with alt text), the document's title and language, and the conformance its metadata declares."""

import io

import pikepdf
import pytest

from tests.pdf_structure import elements, pdfinfo

# The SCLE patient who can become pregnant and takes 100 mg a day: every picture a summary can have.
QUERY = "subtype=scle&antimalarial_status=refractory&can_become_pregnant=on&daily_dose_mg=100"
DOCUMENTS = ["/result/pdf/", "/result/full-evidence/pdf/", "/result/handout/pdf/", "/es/result/pdf/", "/es/result/handout/pdf/"]


@pytest.fixture
def documents(made_pdf) -> dict[str, bytes]:
    return {path: made_pdf(f"{path}?{QUERY}").content for path in DOCUMENTS}


def test_poppler_reads_every_pdf_as_tagged(documents):
    for path, content in documents.items():
        assert "Tagged:          yes" in pdfinfo(content), path


def test_every_pdf_declares_its_language_title_marking_and_pdf_a_2a_and_ua_1(documents):
    for path, content in documents.items():
        with pikepdf.open(io.BytesIO(content)) as document:
            root = document.Root
            assert "/StructTreeRoot" in root, path
            assert root.MarkInfo.Marked is True, path
            assert str(root.Lang) == ("es" if path.startswith("/es/") else "en"), path
            # A reader shows the title, not the file name (PDF/UA-1, 7.1).
            assert root.ViewerPreferences.DisplayDocTitle is True, path
            with document.open_metadata() as xmp:
                assert (xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")) == ("2", "A"), path
                assert xmp.get("pdfuaid:part") == "1", path
                assert xmp.get("dc:title"), path


def test_every_figure_has_alt_text_and_the_summary_has_its_pictures(documents):
    for path, content in documents.items():
        figures = [e for e in elements(content) if e["type"] == "/Figure"]
        assert all(f["alt"] for f in figures), path
        if "handout" not in path:
            assert len(figures) >= 4, path  # icon arrays, the odds ratios and the dose band


def test_headings_lists_and_tables_are_tagged_as_such(documents):
    for path, content in documents.items():
        types = [e["type"] for e in elements(content)]
        assert "/H1" in types and "/H2" in types, path
        assert "/L" in types and "/LI" in types, path
    tables = [e for e in elements(documents["/result/full-evidence/pdf/"]) if e["type"] == "/TR"]
    assert tables, "the summary of findings and the cohorts are tables"
    assert any(set(row["children"]) == {"/TH"} for row in tables), "a header row of header cells"
    assert all("/TD" in row["children"] or "/TH" in row["children"] for row in tables)
