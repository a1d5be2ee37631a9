"""A PDF read as a screen reader or an archive reads it: its text, and its tagged structure through pikepdf,
independently of the typesetter that wrote it."""

import functools
import io
import re
import subprocess
import tempfile

import pikepdf
from pypdf import PdfReader


def comparable(text: str) -> str:
    """Text without whitespace or hyphens: the typesetter breaks lines, and hyphenates words, where the page needs."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]", "", text)


def page_texts(content: bytes) -> list[str]:
    return list(_page_texts(content))


@functools.lru_cache(maxsize=32)
def _page_texts(content: bytes) -> tuple[str, ...]:
    # pypdf reads a page's text in pure Python, several times slower than Typst wrote it; a PDF shared by
    # several tests (tests/conftest.py's made_pdf) is read once.
    return tuple(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def body_text(pages: list[str]) -> str:
    """The pages' text without their running header (the first line) and footer (the last): a statement that goes
    on over a page break reads on."""
    return " ".join(line for page in pages for line in page.splitlines()[1:-1])


def elements(content: bytes) -> list[dict]:
    """Every element of the structure tree, depth first, as {"type": "/H1", "alt": ..., "children": [types]}."""
    found = []
    with pikepdf.open(io.BytesIO(content)) as document:
        _walk(document.Root.StructTreeRoot, found)
    return found


def _walk(node, found: list) -> None:
    if isinstance(node, pikepdf.Array):
        for kid in node:
            _walk(kid, found)
        return
    if not isinstance(node, pikepdf.Dictionary):
        return  # a marked-content id or a reference to page content
    if "/S" in node:
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        found.append({
            "type": str(node.S),
            "alt": str(node.Alt) if "/Alt" in node else None,
            "children": [str(k.S) for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k],
        })
    if "/K" in node:
        _walk(node.K, found)


def pdfinfo(content: bytes) -> str:
    """poppler's pdfinfo on the document, as a reader of the file would see it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        return subprocess.run(["pdfinfo", file.name], capture_output=True, text=True, check=True).stdout
