"""What's new in the evidence: each version's changes, as clinicians and hospital systems read them.

Every figure is written by the clinical core from the finding's record before and after, so the
What's new page says a number exactly as the result pages do, in the page's language.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Max
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cledss.clinical.body_of_evidence import EvidenceSnapshot
from cledss.evidence.models import EvidenceVersion, Finding, LiteratureSearch, Status, Study

CHANGE_LABELS = {"added": gettext_lazy("Added"), "corrected": gettext_lazy("Corrected"), "retracted": gettext_lazy("Retracted")}
# The history reasons workflow.publish writes.
PUBLISHED, CORRECTED = "published", "corrected by revision"
VERSION_NUMBER = re.compile(r"^v(\d+) ")


@dataclass(frozen=True)
class Change:
    kind: str  # added, corrected or retracted
    source: str
    statement: str  # what the finding is about, in the page's language; empty for a study
    old: str  # the figure before, empty for an addition or a study
    new: str  # the figure after, empty for a retraction or a study
    fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(CHANGE_LABELS[self.kind])

    @property
    def figures(self) -> str:
        if self.old and self.new:
            return _("was %(old)s, now %(new)s") % {"old": self.old, "new": self.new}
        return self.new or self.old

    @property
    def line(self) -> str:
        """The change in one line of plain text, for the feed."""
        about = f" ({self.statement})" if self.statement else ""
        return f"{self.label}: {self.source}{about}" + (f": {self.figures}" if self.figures else "")


@dataclass(frozen=True)
class Entry:
    number: int
    published_at: datetime
    content_hash: str
    summary: str
    reason: str
    changes: tuple[Change, ...]

    @property
    def anchor(self) -> str:
        return f"v{self.number}"


class TextAtomFeed(Atom1Feed):
    """An Atom feed whose entry summaries are text (RFC 4287 3.1), not HTML.

    Django's Atom1Feed marks summaries type="html", so a feed reader would render a reviewer's
    summary or a curated statement as markup; the entries here are curated text, and say so.
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        # Atom sets no order on an entry's elements, so the summary may follow the others.
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


@dataclass(frozen=True)
class SourceReview:
    short: str
    key: str
    last_reviewed: date | None


def _figure(source: dict, finding: dict | None, language: str) -> tuple[str, str]:
    """The finding's figure and statement as the result pages write them."""
    if finding is None:
        return "", ""
    [read] = EvidenceSnapshot.from_records([{**source, "findings": [finding]}], version="", language=language).findings
    return str(read.figure), read.statement


def _change(record: dict, language: str) -> Change:
    source = record["source"]
    old, statement_before = _figure(source, record["old"], language)
    new, statement_after = _figure(source, record["new"], language)
    short = source.get(f"short_{language}") or source["short"]
    return Change(record["change"], short, statement_after or statement_before, old, new, tuple(record["fields"]))


def entries(language: str) -> list[Entry]:
    versions = EvidenceVersion.objects.defer("evidence").order_by("-number")
    return [
        Entry(v.number, v.created_at, v.content_hash, v.summary, v.reason, tuple(_change(c, language) for c in v.changes))
        for v in versions
    ]


def latest_search() -> LiteratureSearch | None:
    return LiteratureSearch.objects.first()


def _reviews(model):
    """History entries of a reviewer publishing a row, or publishing a correction into it."""
    return model.history.filter(history_change_reason=PUBLISHED) | model.history.filter(history_change_reason__startswith=CORRECTED)


def source_reviews(language: str) -> list[SourceReview]:
    """Each published source with the last day a reviewer published it or one of its findings."""
    by_study = {row["id"]: row["last"] for row in _reviews(Study).values("id").annotate(last=Max("history_date"))}
    for row in _reviews(Finding).values("study_id").annotate(last=Max("history_date")):
        by_study[row["study_id"]] = max(filter(None, [by_study.get(row["study_id"]), row["last"]]))
    studies = Study.objects.filter(status=Status.PUBLISHED).order_by("short")
    return [
        SourceReview((language == "es" and s.short_es) or s.short, s.key, by_study[s.pk].date() if s.pk in by_study else None)
        for s in studies
    ]


def version_anchor(label: str) -> str:
    """The What's new entry of a version label such as 'v2 (sha 1a2b...)'; empty for unversioned evidence."""
    match = VERSION_NUMBER.match(label)
    return f"v{match.group(1)}" if match else ""
