"""Curated text is text everywhere: markup that a curator or a reviewer types, published through the review
workflow, reaches every reader as the characters typed, and nowhere as live markup (issue 33).

Each surface is read as its consumer reads it: pages by an HTML parser, the PDF by text extraction, JSON as
JSON, the cards' and the FHIR export's Markdown by a CommonMark renderer, the Atom feed as a feed reader does.
"""

import html
import typing
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from fhir.resources.bundle import Bundle
from fhir_core.types import Markdown
from markdown_it import MarkdownIt
from pydantic import BaseModel

from cledss.evidence import workflow
from cledss.evidence.models import Finding, Study
from tests.support import pdf_pages
from tests.test_cds_hooks import PATIENT_VIEW, SCLE, patient_view
from tests.test_whats_new import ATOM, BROWSER_ACCEPT

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[link](javascript:alert(1))"
# It opens with a tag, as the security review's statement did: at a line's start, Markdown passes a tag on as HTML.
MARKUP = f"{IMG} {SCRIPT} {LINK}"
NOTE = "<b>note</b>"
# The SCLE patient who can become pregnant: the label's birth-defects finding is on every page of theirs.
PATIENT = "subtype=scle&antimalarial_status=refractory&can_become_pregnant=on"


@pytest.fixture
def published(seeded, curator, reviewer):
    """The drug label's curated text, and its birth-defects statement, rewritten to carry markup and published
    through revisions, each with a reviewer's summary that carries markup too."""
    label = Study.objects.get(key="thalidomide-label")
    texts = dict.fromkeys(("short", "title", "citation", "design", "population", "certainty_reason"), MARKUP)
    _publish_revision(label, curator=curator, reviewer=reviewer, **texts)
    birth_defects = Finding.objects.get(study=label, key="birth-defects")
    _publish_revision(birth_defects, curator=curator, reviewer=reviewer, statement=MARKUP, certainty_reason=MARKUP)


def _publish_revision(item, *, curator, reviewer, **texts):
    revision = workflow.revise(item, user=curator)
    for name, text in texts.items():
        setattr(revision, name, text)
    revision.full_clean()
    revision.save()
    workflow.submit(revision, user=curator)
    workflow.publish(revision, reviewer=reviewer, summary=NOTE)


class Screen(HTMLParser):
    """HTML as a browser shows it: the text on screen, and whatever the payloads made live."""

    def __init__(self, markup: str):
        super().__init__()
        self.live: list[str] = []
        self._text: list[str] = []
        self._inside = ""
        self.feed(markup)
        self.close()

    @property
    def text(self) -> str:
        return " ".join("".join(self._text).split())

    def handle_starttag(self, tag, attrs):
        self._inside = tag
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}={value}>")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.live.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        self._inside = ""

    def handle_data(self, data):
        # The payloads' own script and the note's bold word, had they been parsed as elements.
        if (self._inside, data) in {("script", "alert(1)"), ("b", "note")}:
            self.live.append(f"<{self._inside}>{data}")
        self._text.append(data)


def commonmark(text: str) -> Screen:
    """Markdown as an EHR shows it: CommonMark, raw HTML passed through, and any link kept.

    markdown-it drops javascript: links of its own accord; an EHR's renderer may not, so neither does this one.
    """
    renderer = MarkdownIt("commonmark")
    renderer.validateLink = lambda url: True
    return Screen(renderer.render(text))


def test_the_result_page_the_handout_and_whats_new_show_curated_markup_as_text(client, published):
    pages = {f"/result/?{PATIENT}": [MARKUP], f"/result/handout/?{PATIENT}": [MARKUP], "/whats-new/": [MARKUP, NOTE]}
    for path, shown in pages.items():
        screen = Screen(client.get(path).content.decode())
        assert screen.live == [], path
        assert [text for text in shown if text not in screen.text] == [], path


def test_the_pdf_prints_curated_markup_as_text(client, published):
    assert MARKUP in " ".join(pdf_pages(client.get(f"/result/pdf/?{PATIENT}")))


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_the_api_returns_curated_markup_as_plain_strings(client, published):
    response = client.get(f"/api/assessment?{PATIENT}")
    assert response["Content-Type"].startswith("application/json")
    strings = _strings(response.json())
    assert MARKUP in strings
    # Nor escaped for HTML: how to show text is the consumer's choice.
    assert not [s for s in strings if "&lt;" in s or "&amp;" in s]


def test_the_cds_hooks_cards_render_curated_markup_as_text(client, published, ehr):
    headers = ehr.headers(PATIENT_VIEW)
    response = client.post(PATIENT_VIEW, patient_view(SCLE), content_type="application/json", **headers)
    screens = [commonmark(card["detail"]) for card in response.json()["cards"]]
    assert [screen.live for screen in screens] == [[] for _ in screens]
    assert any(MARKUP in screen.text for screen in screens)


def _is_markdown(annotation) -> bool:
    """fhir.resources marks a markdown field's type with ``Markdown``, inside ``Optional`` or ``List``."""
    return any(isinstance(m, Markdown) for m in getattr(annotation, "__metadata__", ())) or any(
        map(_is_markdown, typing.get_args(annotation))
    )


def markdown_fields(element: BaseModel, path: str):
    """Every value in ``element`` that FHIR R5 types as markdown, by path, as the fhir.resources models say."""
    for name, field in type(element).model_fields.items():
        value = getattr(element, name)
        if value is not None and _is_markdown(field.annotation):
            yield f"{path}.{name}", value
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, BaseModel):
                yield from markdown_fields(child, f"{path}.{name}")


def test_the_fhir_bundles_markdown_renders_curated_markup_as_text(client, published):
    bundle = Bundle.model_validate(client.get("/fhir/Bundle/evidence").json())
    fields = [
        (path, commonmark(value))
        for entry in bundle.entry
        for path, value in markdown_fields(entry.resource, entry.resource.get_resource_type())
    ]
    assert [(path, screen.live) for path, screen in fields if screen.live] == []
    assert {path for path, screen in fields if MARKUP in screen.text} == {
        "Citation.description",
        "Citation.summary.text",
        "Citation.citedArtifact.title.text",
        "Evidence.description",
        "Evidence.certainty.description",
        "Evidence.variableDefinition.description",
    }


def test_the_json_feed_carries_curated_markup_and_the_reviewers_note_as_plain_strings(client, published):
    newest = client.get("/whats-new/feed.json").json()["versions"][0]
    assert newest["summary"] == NOTE
    assert [(change["source"], change["finding"]) for change in newest["changes"]] == [(MARKUP, MARKUP)]


def as_a_feed_reader_shows_it(construct: ET.Element) -> Screen:
    """An Atom text construct (RFC 4287 3.1) on screen: type="html" is rendered, text (the default) is shown as text."""
    if construct.get("type", "text") == "html":
        return Screen(construct.text or "")
    return Screen(html.escape(construct.text or ""))


def test_the_atom_feed_carries_curated_markup_and_the_reviewers_note_as_text(client, published):
    entries = ET.fromstring(client.get("/whats-new/feed.atom").content).findall(f"{ATOM}entry")
    constructs = [c for entry in entries for c in [*entry.iter(f"{ATOM}summary"), *entry.iter(f"{ATOM}content")]]
    assert [as_a_feed_reader_shows_it(c).live for c in constructs] == [[] for _ in constructs]
    shown = as_a_feed_reader_shows_it(entries[0].find(f"{ATOM}summary")).text
    assert NOTE in shown and MARKUP in shown


@pytest.mark.parametrize("path", ["/whats-new/feed.json", "/whats-new/feed.atom"])
def test_a_feed_opened_in_a_browser_shows_the_feeds_text_and_none_of_its_markup(client, published, path):
    feed = client.get(path, HTTP_ACCEPT="*/*").content.decode()
    screen = Screen(client.get(path, HTTP_ACCEPT=BROWSER_ACCEPT).content.decode())
    assert screen.live == []
    assert " ".join(feed.split()) in screen.text
