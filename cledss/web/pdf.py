"""cledss's PDFs for the patient's chart, typeset by Typst: data in, bytes out.

Each document is a template in typst/ (the summary, the full evidence, the patient's handout) given
its data (paper.py) as one JSON input that the template reads with ``json()``; a curated text is a
string in that data, shown as text and never read as Typst markup. The only fonts are those in
static/fonts/source-sans-3/. Every PDF is tagged and claims PDF/A-2a and PDF/UA-1: Typst checks both
as it compiles and refuses a document without a title or language, or a figure without alt text.

A summary costs Typst tens of milliseconds (bench/README.md), so it is made in the request, afresh
each time: nothing is kept, and a PDF needs no process or server tuning of its own.
"""

import json
import threading
from datetime import datetime
from pathlib import Path

import typst
from django.conf import settings

DEFAULT_PAPER = "a4"
# cledss's paper parameter, Typst's paper name.
PAPER_SIZES = {"a4": "a4", "letter": "us-letter"}
STANDARDS = ["a-2a", "ua-1"]
TEMPLATES = Path(__file__).resolve().with_name("typst")
FONTS = Path(settings.BASE_DIR) / "static" / "fonts" / "source-sans-3"
DOCUMENTS = ("summary", "full_evidence", "handout")

# A compiler keeps the fonts it has read and the templates it has parsed (the first PDF of a process costs
# several times the next); one per document and process, used by one request at a time.
_compilers: dict[str, typst.Compiler] = {}
_lock = threading.Lock()


def typeset(document: str, data: dict, *, paper: str) -> bytes:
    """``document`` (one of DOCUMENTS) typeset from ``data`` on ``paper`` (a key of PAPER_SIZES)."""
    inputs = {"data": json.dumps(data, ensure_ascii=False), "paper": PAPER_SIZES[paper]}
    with _lock:
        return _compiler(document).compile(sys_inputs=inputs, pdf_standards=STANDARDS)


def filename(generated_at: datetime, kind: str = "summary") -> str:
    """The download's name: what it is, the date it was made and nothing about the patient."""
    return f"cledss-{kind.replace('_', '-')}-{generated_at:%Y-%m-%d}.pdf"


def _compiler(document: str) -> typst.Compiler:
    if document not in _compilers:
        if document not in DOCUMENTS:
            raise ValueError(f"No such document: {document}")
        _compilers[document] = typst.Compiler(
            input=str(TEMPLATES / f"{document}.typ"), root=str(TEMPLATES), font_paths=[str(FONTS)], ignore_system_fonts=True
        )
    return _compilers[document]
