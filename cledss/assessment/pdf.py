"""cledss's pages as PDFs for the patient's chart, rendered by WeasyPrint.

A PDF is a page's own template rendered with ``pdf=True``, which leaves out the screen-only
Bootstrap stylesheet: the print styles are all a page needs, and cascading Bootstrap's 230 KB
roughly doubled WeasyPrint's time (measured with bench/pdf.py's page). Stylesheets and fonts are
read from the app's static files; nothing is fetched over the network.

Laying a summary out costs WeasyPrint 1 to 2 s of CPU, and all of it is the same for
every request with the same evidence version, language, paper and patient features but the
generation time. So ``kept`` lays a document out once, with an empty slot where that time goes,
and keeps the bytes in the page cache (process memory, under a hashed key: the patient's features
are written nowhere). Every page draws one small form XObject over the slot; each request appends
an incremental update (PDF 32000-1, 7.5.6) that redefines that object as its own time, in the
document's typeface. The kept bytes are never parsed again, so a kept PDF costs well under a
millisecond; bench/README.md has the measurements behind the choice. The layout itself runs in
the worker's PDF lane (pdf_lanes.py), a process of its own, so the worker's other requests do not
wait behind it.
"""

import mimetypes
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import dateformat
from django.utils.safestring import mark_safe
from fontTools.ttLib import TTFont
from weasyprint import CSS, HTML
from weasyprint.formatting_structure.boxes import LineBox
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cledss import keeping

from . import pdf_lanes

DEFAULT_PAPER = "a4"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}

# Where a kept PDF's generation time goes: a box wide enough for any "2031-05-06 07:08 CEST". The
# placeholder gives the line its height and baseline and is never drawn (visibility: hidden), so
# a kept PDF without its update shows no time at all, rather than a wrong one.
SLOT_ID = "cledss-generated"
GENERATED_SLOT = mark_safe(f'<time id="{SLOT_ID}" class="generated-slot">0000-00-00 00:00 UTC</time>')
_SLOT_CSS = ".generated-slot { display: inline-block; width: 11em; visibility: hidden; }"
# The time is set in the print header's type (static/css/print.css, .print-header): 8 pt regular.
_STAMP_FONT = "fonts/source-sans-3-latin-400-normal.ttf"
_STAMP_SIZE = 8
_STAMP_NAME = "CledssGenerated"
_PT_PER_PX = 0.75  # 72 PDF points per inch / 96 CSS pixels per inch


def filename(generated_at: datetime, kind: str = "summary") -> str:
    """The download's name: what it is, the date it was made and nothing about the patient."""
    return f"cledss-{kind}-{generated_at:%Y-%m-%d}.pdf"


def kept(
    request: HttpRequest,
    template_name: str,
    make_context: Callable[[], dict],
    *,
    key: tuple,
    paper: str,
    moment: datetime,
) -> bytes:
    """``template_name`` as a PDF on ``paper`` showing ``moment``, to the minute, as its ``generated`` time.

    ``key`` names everything else the document depends on: the evidence version, the language and
    the patient's features. The document is laid out once per key and paper, from
    ``make_context()`` with GENERATED_SLOT as ``generated``, and kept; every call adds its own time.
    """
    kept_key = ("pdf", template_name, paper, key)
    layout = keeping.recall(kept_key)
    if layout is None:
        html = render_to_string(template_name, {**make_context(), "generated": GENERATED_SLOT, "pdf": True}, request=request)
        layout = keeping.keep(kept_key, pdf_lanes.lay_out(lay_out, html, request.build_absolute_uri("/"), paper))
    return layout.stamped(dateformat.format(moment, "Y-m-d H:i T"))


@dataclass(frozen=True)
class Stamp:
    """One form XObject of a kept PDF: its number, its dictionary, and where its text starts (PDF points)."""

    number: int
    dictionary: bytes
    x: float
    y: float

    def redefined(self, text: str) -> bytes:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252", "replace")
        content = f"BT /F1 {_STAMP_SIZE} Tf 1 0 0 1 {self.x:.3f} {self.y:.3f} Tm (".encode() + escaped + b") Tj ET"
        return (
            f"{self.number} 0 obj\n<< ".encode() + self.dictionary + f" /Length {len(content)} >>\nstream\n".encode()
            + content + b"\nendstream\nendobj\n"
        )


@dataclass(frozen=True)
class Layout:
    """A laid-out PDF whose stamps are empty, and what an incremental update needs to fill them."""

    pdf: bytes
    stamps: tuple[Stamp, ...]
    size: int  # the next free object number
    trailer: bytes  # /Root and /Info, as the original cross-reference stream names them
    xref: int  # the offset of the original cross-reference stream

    def stamped(self, text: str) -> bytes:
        """The kept bytes, untouched, then an update redefining every stamp as ``text``."""
        out = bytearray(self.pdf)
        offsets = {}
        for stamp in self.stamps:
            offsets[stamp.number] = len(out)
            out += stamp.redefined(text)
        xref_number = self.size
        offsets[xref_number] = len(out)
        numbers = sorted(offsets)
        rows = b"".join(b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" for n in numbers)
        index = " ".join(f"{n} 1" for n in numbers)
        out += (
            f"{xref_number} 0 obj\n<< /Type /XRef /Size {xref_number + 1} /Index [{index}] /W [1 4 2]"
            f" {self.trailer.decode()} /Prev {self.xref} /Length {len(rows)} >>\nstream\n"
        ).encode()
        out += rows + f"\nendstream\nendobj\nstartxref\n{offsets[xref_number]}\n%%EOF\n".encode()
        return bytes(out)


def lay_out(html: str, base_url: str, paper: str) -> Layout:
    """A page's HTML laid out on ``paper`` by WeasyPrint, with empty stamps where the slot is.

    Its arguments and result are plain data, so a PDF lane (pdf_lanes.py) can run it in another process.
    """
    stylesheets = [_paper_css(paper), _css(_SLOT_CSS)]
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFetcher(base_url)).render(stylesheets=stylesheets)
    finisher = _EmptyStamps([_slot_baseline(page) for page in document.pages])
    data = document.write_pdf(finisher=finisher)
    # pydyf ends every PDF with "startxref\n<offset>\n%%EOF\n".
    xref = int(data.rstrip().rsplit(b"\n", 2)[-2])
    return Layout(data, finisher.stamps, finisher.size, finisher.trailer, xref)


def _slot_baseline(page) -> tuple[float, float] | None:
    """Where the slot's text starts on ``page``: its left edge and baseline, in CSS px from the top left."""
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.get("id") == SLOT_ID:
            line = next(child for child in box.descendants() if isinstance(child, LineBox))
            return box.content_box_x(), line.position_y + line.baseline
    return None


class _EmptyStamps:
    """WeasyPrint's finisher: before the PDF is written, an empty stamp per place of the slot, drawn last on its pages."""

    def __init__(self, baselines: list[tuple[float, float] | None]):
        self.baselines = baselines
        self.stamps: tuple[Stamp, ...] = ()
        self.size = 0
        self.trailer = b""

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        font = _add_font(pdf)
        # The page's own drawing is wrapped in q/Q, so the stamp is drawn on the untransformed page.
        begin, end = pydyf.Stream([b"q"]), pydyf.Stream([f"Q q /{_STAMP_NAME} Do Q".encode()])
        pdf.add_object(begin)
        pdf.add_object(end)
        stamps: dict[tuple[float, float], Stamp] = {}
        for page_number, baseline, page in zip(pdf.pages["Kids"][::3], self.baselines, document.pages, strict=True):
            if baseline is None:
                continue
            if baseline not in stamps:
                width, height = page.width * _PT_PER_PX, page.height * _PT_PER_PX
                dictionary = pydyf.Dictionary(
                    {
                        "Type": "/XObject",
                        "Subtype": "/Form",
                        "BBox": pydyf.Array([0, 0, width, height]),
                        "Resources": pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})}),
                    }
                )
                form = pydyf.Stream([], dictionary)
                pdf.add_object(form)
                x, y = baseline
                stamps[baseline] = Stamp(form.number, dictionary.data[2:-2], x * _PT_PER_PX, height - y * _PT_PER_PX)
            pdf_page = pdf.objects[page_number]
            resources = pdf.objects[int(pdf_page["Resources"].split()[0])]
            resources.setdefault("XObject", pydyf.Dictionary())[_STAMP_NAME] = f"{stamps[baseline].number} 0 R"
            pdf_page["Contents"] = pydyf.Array([begin.reference, pdf_page["Contents"], end.reference])
        self.stamps = tuple(stamps.values())
        # pydyf then adds the information dictionary, the object stream and the cross-reference stream.
        info = len(pdf.objects)
        self.size = info + 3
        self.trailer = f"/Root {pdf.catalog.number} 0 R /Info {info} 0 R".encode()


def _add_font(pdf: pydyf.PDF) -> pydyf.Dictionary:
    """The header's typeface, whole, as a TrueType font in WinAnsi encoding: every character a time can hold."""
    font = _stamp_font()
    file = pydyf.Stream([font.data], {"Length1": len(font.data)}, compress=True)
    pdf.add_object(file)
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": f"/{font.name}",
            "Flags": 32,  # nonsymbolic
            "FontBBox": pydyf.Array(font.bbox),
            "ItalicAngle": 0,
            "Ascent": font.ascent,
            "Descent": font.descent,
            "CapHeight": font.cap_height,
            "StemV": 80,
            "FontFile2": file.reference,
        }
    )
    pdf.add_object(descriptor)
    dictionary = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/TrueType",
            "BaseFont": f"/{font.name}",
            "FirstChar": 32,
            "LastChar": 126,
            "Widths": pydyf.Array(font.widths),
            "Encoding": "/WinAnsiEncoding",
            "FontDescriptor": descriptor.reference,
        }
    )
    pdf.add_object(dictionary)
    return dictionary


@dataclass(frozen=True)
class _Font:
    name: str
    data: bytes
    widths: tuple[int, ...]
    bbox: tuple[int, ...]
    ascent: int
    descent: int
    cap_height: int


@lru_cache(maxsize=1)
def _stamp_font() -> _Font:
    path = _static_file(_STAMP_FONT)
    font = TTFont(path)
    scale = 1000 / font["head"].unitsPerEm
    cmap, advances = font.getBestCmap(), font["hmtx"].metrics
    widths = tuple(round(advances[cmap[code]][0] * scale) if code in cmap else 0 for code in range(32, 127))
    head, os2 = font["head"], font["OS/2"]
    bbox = tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax))
    name = font["name"].getDebugName(6) or "SourceSans3-Regular"
    return _Font(
        name, path.read_bytes(), widths, bbox, round(os2.sTypoAscender * scale), round(os2.sTypoDescender * scale),
        round(getattr(os2, "sCapHeight", 660) * scale),
    )


@lru_cache
def _paper_css(paper: str) -> CSS:
    # The print stylesheet leaves the size open so a browser's print dialog offers the
    # printer's paper; the PDF has to pick one.
    return CSS(string=f"@page {{ size: {PAPER_SIZES[paper]}; }}")


@lru_cache
def _css(text: str) -> CSS:
    return CSS(string=text)


class StaticFetcher(URLFetcher):
    """Serve the page's ``/static/...`` URLs from the app's static files; refuse every other URL."""

    def __init__(self, base_url: str):
        # WeasyPrint logs what a fetcher cannot load and goes on without it (fail_on_errors off).
        super().__init__(allowed_protocols=())
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if not url.startswith(self.static_prefix):
            raise ValueError(f"cledss PDFs only load the app's static files, not {url}")
        path = _static_file(unquote(url[len(self.static_prefix) :].partition("?")[0].partition("#")[0]))
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})


@lru_cache(maxsize=64)
def _static_file(relative: str) -> Path:
    relative = posixpath.normpath(relative)
    if relative.startswith(("..", "/")):
        raise ValueError(f"Not a static file: {relative}")
    found = finders.find(relative) or (Path(settings.STATIC_ROOT) / relative)
    path = Path(found)
    if not path.is_file():
        raise FileNotFoundError(relative)
    return path
