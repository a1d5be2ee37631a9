"""A PDF summary is laid out once per evidence version, language, paper and features; each request adds its own time."""

import io
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from pypdf import PdfReader

from cledss import keeping
from cledss.assessment import pdf
from cledss.evidence import workflow
from tests.support import draft_finding, pdf_pages

SCLE = "/result/pdf/?subtype=scle&antimalarial_status=refractory"
MINUTE = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
NEXT_MINUTE = datetime(2031, 5, 6, 7, 9, 1, tzinfo=UTC)


@pytest.fixture
def layouts(monkeypatch):
    """Count the documents WeasyPrint lays out: a kept PDF needs none."""
    calls = []
    real = pdf.lay_out

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "lay_out", counting)
    return calls


def test_the_same_pdf_twice_in_one_minute_is_laid_out_once_and_byte_identical(client, seeded, layouts, clock):
    clock(MINUTE)
    first = client.get(SCLE).content
    clock(MINUTE.replace(second=50))
    second = client.get(SCLE).content
    assert second == first
    assert len(layouts) == 1


def test_a_later_minute_changes_only_the_generation_time(client, seeded, layouts, clock):
    clock(MINUTE)
    first = client.get(SCLE).content
    clock(NEXT_MINUTE)
    second = client.get(SCLE).content
    assert len(layouts) == 1
    assert first != second
    assert first.replace(b"2031-05-06 07:08 UTC", b"") == second.replace(b"2031-05-06 07:09 UTC", b"")


def test_every_page_of_a_kept_pdf_carries_the_label_page_numbers_and_its_own_time(client, seeded, clock):
    clock(MINUTE)
    client.get(SCLE)
    clock(NEXT_MINUTE)
    pages = pdf_pages(client.get(SCLE))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert "Informational, not a prescribing tool" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "2031-05-06 07:09 UTC" in page
        assert "07:08" not in page and "0000-00-00" not in page


def test_the_time_sits_in_the_header_beside_generated_in_the_headers_type(client, seeded, clock):
    clock(MINUTE)
    reader = PdfReader(io.BytesIO(client.get(SCLE).content))
    runs = {}

    def record(text, cm, tm, font, size):
        if "Generated" in text or "2031-05-06" in text:
            runs["time" if "2031" in text else "header"] = (cm[3] * tm[5] + cm[5], size * abs(cm[3]), font)

    reader.pages[0].extract_text(visitor_text=record)
    (time_y, time_size, time_font), (header_y, header_size, _) = runs["time"], runs["header"]
    assert time_y == pytest.approx(header_y, abs=0.5)  # the same baseline, in points from the bottom
    assert time_size == pytest.approx(header_size, abs=0.1)
    assert "SourceSans3" in time_font["/BaseFont"]


@pytest.mark.parametrize(
    "other, shows",
    [
        (SCLE + "&paper=letter", None),
        ("/es" + SCLE, "Informativo, no es una herramienta de prescripción"),
        (SCLE + "&can_become_pregnant=on", "This patient can become pregnant"),
        (SCLE + "&daily_dose_mg=100&months_on_thalidomide=6", "Months on thalidomide so far"),
    ],
)
def test_a_kept_pdf_is_never_served_for_another_paper_language_or_features(client, seeded, layouts, other, shows):
    kept = client.get(SCLE).content
    answer = client.get(other).content
    assert len(layouts) == 2
    assert answer != kept
    if shows:
        assert shows in " ".join(pdf_pages(client.get(other)))
        assert shows not in " ".join(pdf_pages(client.get(SCLE)))
    else:
        letter = PdfReader(io.BytesIO(answer)).pages[0].mediabox
        assert (round(letter.width), round(letter.height)) == (612, 792)


def test_the_same_features_spelled_differently_share_one_kept_pdf(client, seeded, layouts):
    client.get(SCLE + "&smoker=on")
    client.get(SCLE + "&smoker=true")
    assert len(layouts) == 1


def test_a_publish_makes_a_new_pdf(client, seeded, curator, reviewer, layouts):
    before = " ".join(pdf_pages(client.get(SCLE)))
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)
    after = " ".join(pdf_pages(client.get(SCLE)))
    assert len(layouts) == 2
    assert "v2 (sha " in after and "v2 (sha " not in before
    assert "4/15 (27%)" in after and "4/15 (27%)" not in before


def test_a_kept_pdf_lives_in_process_memory_under_a_key_that_names_no_feature(client, seeded):
    assert settings.CACHES[keeping.CACHE]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert client.get(SCLE + "&can_become_pregnant=on&smoker=on").status_code == 200
    keys = list(caches[keeping.CACHE]._cache)
    assert keys and all(re.fullmatch(r":1:kept:[0-9a-f]{64}", key) for key in keys)


# Python's audit hooks cannot be removed, so one hook records into whichever list is open.
_writes: list | None = None


def _record_writes(event: str, args: tuple) -> None:
    if _writes is None or event != "open":
        return
    path, mode, flags = args
    writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
        isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
    )
    if writing:
        _writes.append(path)


sys.addaudithook(_record_writes)


def test_making_and_serving_pdfs_writes_nothing_but_copies_of_the_apps_fonts(client, seeded):
    # WeasyPrint hands each @font-face font to fontconfig as a temporary file: the app's own font, as served.
    global _writes
    _writes = []
    fonts = {path.read_bytes() for path in (Path(settings.BASE_DIR) / "static" / "fonts").glob("*.ttf")}
    try:
        for _ in range(2):
            assert client.get(SCLE + "&can_become_pregnant=on&daily_dose_mg=100").status_code == 200
        written = [Path(path) for path in _writes]
        copies = [path.read_bytes() for path in written if path.exists()]
    finally:
        _writes = None
    assert all(path.parent.name.startswith("weasyprint-") for path in written), written
    assert all(copy in fonts for copy in copies)
