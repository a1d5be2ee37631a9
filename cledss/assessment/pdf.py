"""The evidence summary as a PDF for the patient's chart, rendered by WeasyPrint.

The PDF is the result page's own template rendered with ``pdf=True``, which leaves out the
screen-only Bootstrap stylesheet: the print styles are all a page needs, and cascading
Bootstrap's 230 KB roughly doubled WeasyPrint's time (measured with bench/pdf.py's page).
Stylesheets and fonts are read from the app's static files; nothing is fetched over the network.
"""

import mimetypes
import posixpath
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

try:  # WeasyPrint 68 answers fetches with a response object; older versions with a dict.
    from weasyprint.urls import URLFetcherResponse
except ImportError:  # pragma: no cover
    URLFetcherResponse = None

DEFAULT_PAPER = "a4"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}


def filename(generated_at: datetime, kind: str = "summary") -> str:
    """The download's name: what it is, the date it was made and nothing about the patient."""
    return f"cledss-{kind}-{generated_at:%Y-%m-%d}.pdf"


def render_summary(
    request: HttpRequest, context: dict, *, paper: str = DEFAULT_PAPER, template: str = "assessment/result.html"
) -> bytes:
    """A page's template (the summary's, or the patient handout's) rendered as a PDF."""
    html = render_to_string(template, {**context, "pdf": True}, request=request)
    base_url = request.build_absolute_uri("/")
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFetcher(base_url))
    return document.write_pdf(stylesheets=[_paper_css(paper)])


@lru_cache
def _paper_css(paper: str) -> CSS:
    # The print stylesheet leaves the size open so a browser's print dialog offers the
    # printer's paper; the PDF has to pick one.
    return CSS(string=f"@page {{ size: {PAPER_SIZES[paper]}; }}")


class StaticFetcher:
    """Serve the page's ``/static/...`` URLs from the app's static files; refuse every other URL."""

    def __init__(self, base_url: str):
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)

    def __call__(self, url: str):
        if not url.startswith(self.static_prefix):
            raise ValueError(f"cledss PDFs only load the app's static files, not {url}")
        path = _static_file(unquote(url[len(self.static_prefix) :].partition("?")[0].partition("#")[0]))
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        body = path.read_bytes()
        if URLFetcherResponse is None:  # pragma: no cover
            return {"string": body, "mime_type": mime_type, "redirected_url": url}
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})


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
