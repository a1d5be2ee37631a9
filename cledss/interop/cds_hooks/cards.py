"""CDS Hooks cards: the result page's key points for what the record shows, short enough for an EHR's card panel.

``rules.decide`` plans the cards; this module only renders them from the Assessment that ``assess`` returns.
A card's detail is a few lines: what the record shows that the card turns on, then the key points (this
patient's dangers, the label's boxed warnings in one line, the neurological monitoring; on the evidence card
the fit too), each statement in its short form with its certainty and numbered sources, every source listed
once, the label and the evidence version last; at most ``DETAIL_LIMIT`` characters, the key points that do not
fit counted and left to the page. The full evidence is one link away: the cledss form filled in from the
record. Cards suggest no order and change nothing, as cledss is informational.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cledss.clinical.assess import Assessment, KeyPoint, Statement, assess
from cledss.clinical.assess.key_points import BOXED_WARNINGS, FIT, FOR_THIS_PATIENT
from cledss.clinical.body_of_evidence import EvidenceSnapshot, Outcome, Source
from cledss.clinical.features import Kind, PatientFeatures, contract

from ..fhir_reading import OrderedDose, Pregnancy, Reading
from ..label import LABEL
from ..markdown import escape as _md
from ..serialise import result_query
from .rules import Card, Headline, Planned

SUMMARY_LIMIT = 140  # the specification's limit for a card summary, in characters ("<140")
DETAIL_LIMIT = 1_200  # what an EHR's card panel shows in a few lines; the rest is one link away

TOPICS = "urn:cledss:cds-card-topic"
TOPIC = {
    Card.SAFETY: {"system": TOPICS, "code": "thalidomide-safety", "display": "Thalidomide safety"},
    Card.MONITORING: {"system": TOPICS, "code": "thalidomide-monitoring", "display": "Thalidomide monitoring"},
    Card.EVIDENCE: {"system": TOPICS, "code": "thalidomide-cle-evidence", "display": "Thalidomide evidence in CLE"},
}
# The statement whose short form a headline's card leads with, by the outcome it reports.
HEADLINE_OUTCOMES = {
    Headline.REPRODUCTIVE_POTENTIAL: Outcome.TERATOGENICITY,
    Headline.NEUROPATHY: Outcome.NEUROPATHY_WARNING,
    Headline.THROMBOSIS: Outcome.THROMBOSIS,
    Headline.LONG_TREATMENT: Outcome.NEUROPATHY_DURATION,
    Headline.BOXED_WARNINGS: Outcome.TERATOGENICITY,
}
# When a card's detail would run over its limit, statements are left out last first. Kept always: what the record
# shows, the fit, this patient's dangers, the boxed warnings and the label's neuropathy warning. Then how often
# neuropathy is found (the primary study's figure beside the cohorts that tested every patient); where this
# patient's dose, months on treatment and nerve conduction fall; the programme's rules (the programme itself is
# named with the birth-defect warning); the cumulative dose; the rest. A statement is ranked by the outcome of its
# first finding, the one it reports (the others are context, such as a dose band's study incidence).
KEEP = {
    Outcome.TERATOGENICITY: 0,
    Outcome.THROMBOSIS: 0,
    Outcome.NEUROPATHY_WARNING: 0,
    Outcome.NEUROPATHY_CONFIRMED: 1,
    Outcome.NEUROPATHY_DAILY_DOSE: 2,
    Outcome.NEUROPATHY_DURATION: 2,
    Outcome.NEUROPATHY_MONITORING: 2,
    Outcome.PREGNANCY_PREVENTION: 3,
    Outcome.NEUROPATHY_CUMULATIVE_DOSE: 4,
}
KEEP_THE_REST = 5

# What a recorded pregnancy replaces: the birth-defect line worded for someone who can become pregnant, and the
# programme's rules for those who can (contraception, and the rules for males).
FOR_WHO_CAN_BECOME_PREGNANT = {Outcome.TERATOGENICITY, Outcome.PREGNANCY_PREVENTION}

PREGNANCY_SAID = {
    Pregnancy.PREGNANT: _lazy("pregnant"),
    Pregnancy.NOT_PREGNANT: _lazy("not pregnant"),
    Pregnancy.UNKNOWN: _lazy("unknown"),
    Pregnancy.NOT_RECORDED: _lazy("not recorded"),
}

# What each prefetch key would have told cledss, for the card that says it was not sent.
PREFETCH_MEANING = {
    "conditions": "conditions (CLE subtype, neuropathy, thrombosis)",
    "observations": "observations (smoking, pregnancy status and intention)",
    "medicationRequests": "medication orders (antimalarials, thalidomide)",
    "medications": "medication statements (antimalarials, thalidomide)",
}


@dataclass(frozen=True)
class Links:
    """The absolute URL of the cledss form, which the cards link to."""

    form: str

    def form_for(self, features: PatientFeatures) -> str:
        """The form, filled in with every feature read from the record."""
        query = result_query(features)
        return f"{self.form}?{query}" if query else self.form


@dataclass(frozen=True)
class Item:
    """One statement on a card: its text in Markdown, the sources it cites and, where graded, its certainty; and
    how early it is kept when the detail would run over its limit (0 always, if anything is)."""

    text: str
    sources: tuple[Source, ...] = ()
    certainty: str = ""
    keep: int = 0


@dataclass
class Line:
    """A labelled line of items, one key point or one thing the record shows."""

    label: str
    items: list[Item] = field(default_factory=list)


def cards(
    plan: tuple[Planned, ...],
    reading: Reading,
    snapshot: EvidenceSnapshot,
    links: Links,
    *,
    issue: Callable[[str], str],
    order: OrderedDose | None = None,
    unread: tuple[str, ...] = (),
) -> list[dict]:
    """The planned cards, in order. On an order hook (``order`` given) the ordered daily dose is the patient's;
    ``unread`` names the prefetch keys the EHR did not send; ``issue`` makes a card's uuid from its kind."""
    features = reading.features if order is None else replace(reading.features, daily_dose_mg=order.mg)
    assessment = assess(features, snapshot)
    rendered = []
    for planned in plan:
        # The label's safety facts reach every patient: on the safety or monitoring card, else on the evidence card.
        with_safety = planned.card != Card.EVIDENCE or len(plan) == 1
        lead = _evidence_lead(assessment, reading, unread) if planned.card == Card.EVIDENCE else ""
        headline = _headline(planned, assessment)
        lines = [*_record_lines(reading, assessment, order)] if with_safety else []
        lines += _key_point_lines(assessment, reading, planned.card, with_safety, headline)
        card = {
            "uuid": issue(planned.kind),
            "summary": _short(_summary(planned, assessment, reading, headline)),
            "detail": _detail(lead, lines, assessment),
            "indicator": planned.indicator,
            "source": {"label": _source_label(headline), "url": links.form, "topic": TOPIC[planned.card]},
            "links": [{"label": _link_label(reading, features), "url": links.form_for(features), "type": "absolute"}],
        }
        if reasons := planned.override_reasons:
            card["overrideReasons"] = reasons
        rendered.append(card)
    return rendered


# --- what the card says ------------------------------------------------------------------------------


def _summary(planned: Planned, assessment: Assessment, reading: Reading, headline: Statement | None) -> str:
    if planned.headline == Headline.PREGNANCY and planned.card == Card.MONITORING:
        return _("Thalidomide on record and the record shows a pregnancy: severe birth defects or embryo-fetal death "
                 "(label)")
    if planned.headline == Headline.PREGNANCY:
        return _("The record shows a pregnancy: thalidomide can cause severe birth defects or embryo-fetal death "
                 "(label)")
    if planned.headline == Headline.EVIDENCE:
        return _evidence_summary(assessment, reading)
    if headline is None:
        return _("Thalidomide on record: the label's boxed warnings and the neuropathy evidence for this patient")
    return str(headline.summary)


def _source_label(headline: Statement | None) -> str:
    """cledss, and the source of the card's summary with its certainty: the primary source of the card's guidance,
    as the specification puts it."""
    own = f"cledss ({LABEL.lower()})"
    if headline is None or not headline.sources:
        return own
    sources = "; ".join(source.short for source in headline.sources)
    return _("%(cledss)s, from %(sources)s (%(certainty)s)") % {
        "cledss": own, "sources": sources, "certainty": headline.certainty.label}


def _headline(planned: Planned, assessment: Assessment) -> Statement | None:
    """The key-point statement a card leads with, by the outcome its headline reports; none for a card that leads
    with a sentence of its own (a recorded pregnancy, the evidence, thalidomide on record with nothing to flag)."""
    if planned.card == Card.MONITORING and planned.headline == Headline.BOXED_WARNINGS:
        return None
    outcome = HEADLINE_OUTCOMES.get(planned.headline)
    return next((s for s in _summarised(assessment) if s.findings and s.findings[0].outcome == outcome), None)


def _evidence_summary(assessment: Assessment, reading: Reading) -> str:
    subtype = assessment.features.subtype
    if subtype is None:
        return _("cledss could not read the CLE subtype from the record")
    if reading.antimalarials:
        return _("Thalidomide evidence, %(subtype)s: %(drugs)s on record, refractoriness not recorded") % {
            "subtype": subtype.label, "drugs": " and ".join(reading.antimalarials)}
    return _("Thalidomide evidence, %(subtype)s: antimalarial history not recorded") % {"subtype": subtype.label}


def _evidence_lead(assessment: Assessment, reading: Reading, unread: tuple[str, ...]) -> str:
    if assessment.features.subtype is None:
        lead = _("%(why)s The form asks for the subtype and the antimalarial history.") % {
            "why": reading.why_no_subtype}
    elif reading.antimalarials:
        lead = _("The record shows %(drugs)s, prescribed or taken: that it was tried, not that the CLE resisted it, "
                 "which the form asks.") % {"drugs": " and ".join(reading.antimalarials)}
    else:
        lead = _("No antimalarial is in the medications the EHR sent, which does not show that none was tried; the "
                 "form asks for the antimalarial history.")
    missing = [PREFETCH_MEANING[key] for key in unread if key in PREFETCH_MEANING]
    if missing:
        lead += " " + _("The EHR did not send the record's %(missing)s, so they are unknown here.") % {
            "missing": "; ".join(missing)}
    return _md(lead)


def _record_lines(reading: Reading, assessment: Assessment, order: OrderedDose | None) -> list[Line]:
    """What the record shows that the card turns on, each in a line of its own, the pregnancy first."""
    lines = []
    pregnancy = reading.pregnancy
    status = f"{PREGNANCY_SAID[pregnancy.status]} ({pregnancy.recorded_as})" if pregnancy.recorded_as else ""
    if pregnancy.status == Pregnancy.PREGNANT:
        # The label's sentence for a pregnancy, cited to the label's birth-defects finding, in place of the
        # programme's rules, which are for those who can become pregnant.
        label = next((s for s in _summarised(assessment) if Outcome.TERATOGENICITY in _outcomes(s)), None)
        warning = _("The label's boxed warning: taken during pregnancy, thalidomide can cause severe birth defects or "
                    "embryo-fetal death; it must not be used by pregnant females.")
        cited = (label.sources, _graded(label)) if label else ((), "")
        said = Item(_md(f"{pregnancy.recorded_as}. {warning}"), *cited)
        lines.append(Line(_("The record shows a pregnancy"), [said]))
    elif pregnancy.status == Pregnancy.UNKNOWN:
        unknown = _("%(status)s; the form asks whether the patient can become pregnant") % {"status": status}
        lines.append(Line(_("Pregnancy status on record"), [Item(_md(unknown))]))
    elif pregnancy.status == Pregnancy.NOT_PREGNANT:
        lines.append(Line(_("Pregnancy status on record"), [Item(_md(status))]))
    if reading.thromboses:
        lines.append(Line(_("Thrombosis on record"), [Item(_md(", ".join(reading.thromboses)))]))
    taken = reading.thalidomide
    if taken:
        since = (_("since %(date)s (the earliest start on record)") % {"date": taken.since}
                 if taken.since else _("start not recorded"))
        lines.append(Line(_("Thalidomide being taken"), [Item(_md(since))]))
    if order is not None and order.mg is None:
        # A dose read is placed on the neuropathy evidence below (and filled in on the form); one not read says why.
        lines.append(Line(_("Ordered daily dose"), [Item(_md(_("not read. %(why)s") % {"why": order.why_unread}))]))
    return lines


def _key_point_lines(
    assessment: Assessment, reading: Reading, card: Card, with_safety: bool, headline: Statement | None
) -> list[Line]:
    """The key points of the result page this card carries, each a line of short forms, but the card's
    ``headline`` statement."""
    lines = []
    for point in assessment.key_points:
        if point.topic == FIT and card != Card.EVIDENCE:
            continue
        if point.topic in (FOR_THIS_PATIENT, BOXED_WARNINGS) or point.anchor == "monitoring":
            if not with_safety:
                continue
        elif card != Card.EVIDENCE:
            continue  # response and relapse belong to the evidence card
        # The card's headline is its summary, cited in its source label: the detail supports it, not repeats it.
        shown = [s for s in point.statements if s != headline and not _replaced_by_pregnancy(s, reading)]
        items = [_item(s, point) for s in shown]
        if items:
            lines.append(Line(str(point.topic), items))
    return lines


def _replaced_by_pregnancy(statement: Statement, reading: Reading) -> bool:
    return reading.pregnant and bool(_outcomes(statement) & FOR_WHO_CAN_BECOME_PREGNANT)


def _item(statement: Statement, point: KeyPoint) -> Item:
    certainty = _graded(statement) if point.graded else ""
    keep = 0 if point.topic in (FIT, FOR_THIS_PATIENT) else _keep(statement)
    return Item(_md(str(statement.summary)), statement.sources, certainty, keep)


def _graded(statement: Statement) -> str:
    """A statement's GRADE certainty; the label's regulatory basis (or a guideline's consensus) is given once, beside
    its source in the card's list."""
    return str(statement.certainty.label) if statement.certainty.is_grade else ""


def _keep(statement: Statement) -> int:
    return KEEP.get(statement.findings[0].outcome, KEEP_THE_REST) if statement.findings else KEEP_THE_REST


def _link_label(reading: Reading, features: PatientFeatures) -> str:
    """The link names the features filled in from the record, and those the clinician confirms on the form."""
    read = [
        str(f.label) for f in contract()
        if (getattr(features, f.name) is True if f.kind == Kind.FLAG else getattr(features, f.name) is not None)
    ]
    confirm = [str(f.label) for f in contract() if f.required and getattr(features, f.name) is None]
    return _("Full evidence: the cledss form, filled in from the record (%(read)s); the clinician confirms %(confirm)s "
             "and whatever else the record does not show") % {
        "read": ", ".join(read) or _("nothing readable"), "confirm": ", ".join(confirm)}


# --- the detail, within its limit ----------------------------------------------------------------------


def _detail(lead: str, lines: list[Line], assessment: Assessment) -> str:
    """The lead, the lines and the sources they cite, within DETAIL_LIMIT: items are kept in the order of their
    ``keep``, then of the card, while the whole fits, and shown in the card's order; those left out are counted
    in a closing line that points to the page."""
    items = [(item.keep, n, m) for n, line in enumerate(lines) for m, item in enumerate(line.items)]
    kept: set[tuple[int, int]] = set()
    for _keep_rank, n, m in sorted(items):
        if len(_render(lead, _kept(lines, kept | {(n, m)}), assessment, len(items) - len(kept) - 1)) > DETAIL_LIMIT:
            break
        kept.add((n, m))
    return _render(lead, _kept(lines, kept), assessment, len(items) - len(kept))


def _kept(lines: list[Line], kept: set[tuple[int, int]]) -> list[Line]:
    shown = [Line(line.label, [item for m, item in enumerate(line.items) if (n, m) in kept])
             for n, line in enumerate(lines)]
    return [line for line in shown if line.items]


def _render(lead: str, lines: list[Line], assessment: Assessment, left_out: int) -> str:
    numbers: dict[Source, int] = {}
    rendered = []
    for line in lines:
        texts = []
        for item, following in zip(line.items, [*line.items[1:], None], strict=True):
            for source in item.sources:
                numbers.setdefault(source, len(numbers) + 1)
            # A run of statements with the same sources and certainty cites them once, after the last.
            if following and (following.sources, following.certainty) == (item.sources, item.certainty):
                texts.append(item.text)
                continue
            cited = ", ".join(str(numbers[s]) for s in item.sources)
            tail = ", ".join(part for part in (cited, item.certainty) if part)
            texts.append(f"{item.text} [{tail}]" if tail else item.text)
        rendered.append(f"- **{_md(line.label)}:** " + "; ".join(texts))
    parts = [lead] if lead else []
    parts.append("\n".join(rendered))
    if left_out:
        parts.append(_("%(count)s more on the cledss page.") % {"count": left_out})
    if numbers:
        citing = [item for line in lines for item in line.items]
        named = {s for s in numbers if all(s.short in item.text for item in citing if s in item.sources)}
        references = (f"[{n}] {_reference(s, named=s in named)}." for s, n in numbers.items())
        parts.append(f"**{_('Sources')}:** " + " ".join(references))
    footer = _("Evidence version %(version)s.") % {"version": assessment.evidence_version}
    parts.append(f"**{LABEL}.** {footer}")
    return "\n\n".join(p for p in parts if p)


def _reference(source: Source, *, named: bool) -> str:
    """A source as short as a card allows (the page's reference list has the rest): its name, unless every
    statement that cites it names it already, its PMID or DOI, and its basis where that is not a GRADE rating."""
    identifier = f"PMID {source.pmid}" if source.pmid else f"DOI {source.doi}" if source.doi else ""
    basis = "" if source.certainty.is_grade else f" ({source.certainty.label})"
    if named and identifier:
        return _md(identifier + basis)
    return _md((f"{source.short}, {identifier}" if identifier else source.short) + basis)


# --- reading the assessment ----------------------------------------------------------------------------


def _summarised(assessment: Assessment) -> list[Statement]:
    return [s for point in assessment.key_points for s in point.statements if s.summary]


def _outcomes(statement: Statement) -> set[Outcome]:
    return {f.outcome for f in statement.findings}


def _short(text: str) -> str:
    """Under the summary limit, cut at a word boundary with an ellipsis when needed."""
    if len(text) < SUMMARY_LIMIT:
        return text
    cut = text[: SUMMARY_LIMIT - 2].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}…"
