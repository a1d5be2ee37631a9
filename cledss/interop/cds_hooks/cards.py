"""CDS Hooks cards: pure functions of what was read from the record, the evidence snapshot and the links.

The cards only render the Assessment that ``assess`` returns; their severity is the core's tone, and
they suggest no order and change nothing, as cledss is informational. The safety card comes first for
every patient; the evidence card says what the record does and does not show and links to the form,
filled in with everything read from the record, where the clinician confirms the antimalarial history.
"""

import uuid
from dataclasses import dataclass, replace

from cledss.clinical.assess import Assessment, Section, Statement, Tone, assess
from cledss.clinical.evidence import EvidenceSnapshot, Outcome
from cledss.clinical.features import PatientFeatures

from ..fhir_reading import OrderedDose, Reading
from ..label import LABEL
from ..markdown import escape as _md
from ..serialise import result_query

SUMMARY_LIMIT = 140  # the specification's limit for a card summary, in characters
# The card indicator for the most serious statement a card carries; the core decides the tone.
INDICATORS = {Tone.INFO: "info", Tone.WARNING: "warning", Tone.DANGER: "critical"}

TOPICS = "urn:cledss:cds-card-topic"
SAFETY_TOPIC = {"system": TOPICS, "code": "thalidomide-safety", "display": "Thalidomide safety"}
EVIDENCE_TOPIC = {"system": TOPICS, "code": "thalidomide-cle-evidence", "display": "Thalidomide evidence in CLE"}

# Why a clinician may go on with a thalidomide order past the safety card (CDS Hooks 2.0 overrideReasons).
OVERRIDE_REASONS_SYSTEM = "urn:cledss:cds-override-reason"
OVERRIDE_REASONS = tuple(
    {"system": OVERRIDE_REASONS_SYSTEM, "code": code, "display": display}
    for code, display in (
        ("in-pregnancy-prevention-programme", "Patient enrolled in the pregnancy prevention programme (REMS/PPP)"),
        ("not-of-reproductive-potential", "Patient cannot become pregnant"),
        ("neurological-baseline-done", "Baseline neurological assessment done"),
        ("risks-discussed", "Risks discussed; decision shared with the patient"),
    )
)

# What each prefetch key would have told cledss, for the card that says it was not sent.
PREFETCH_MEANING = {
    "conditions": "conditions (CLE subtype, neuropathy, thrombosis)",
    "observations": "observations (smoking, pregnancy status and intention)",
    "medicationRequests": "medication orders (antimalarials)",
    "medications": "medication statements (antimalarials)",
}


@dataclass(frozen=True)
class Links:
    """The absolute URL of the cledss form, which the cards link to."""

    form: str

    def form_for(self, features: PatientFeatures) -> str:
        """The form, filled in with every feature read from the record."""
        query = result_query(features)
        return f"{self.form}?{query}" if query else self.form


def cards(
    reading: Reading,
    snapshot: EvidenceSnapshot,
    links: Links,
    *,
    order: OrderedDose | None = None,
    unread: tuple[str, ...] = (),
) -> list[dict]:
    """The safety card first (the label's birth-defect risk leads it, for every patient), then the evidence card.

    On order-select (``order`` given), the ordered daily dose is the patient's, so the neuropathy evidence is
    placed for it, or the card says why it could not be read; its warning cards offer override reasons.
    ``unread`` names the prefetch keys the EHR did not send.
    """
    features = reading.features if order is None else replace(reading.features, daily_dose_mg=order.mg)
    assessment = assess(features, snapshot)
    safety = _safety_card(assessment, reading, links, order)
    return [card for card in (safety, _evidence_card(assessment, reading, links, unread)) if card]


def _safety_card(assessment: Assessment, reading: Reading, links: Links, order: OrderedDose | None) -> dict | None:
    sections = [section for key in ("safety", "monitoring") if (section := assessment.section(key))]
    statements = [s for section in sections for s in section.all_statements]
    if not statements:
        return None
    first = next((s for s in statements if s.summary), statements[0])
    summary = str(first.summary or first.text)
    lines = []
    if reading.pregnant:
        # The core knows only "can become pregnant"; the record says more, so the card leads with it.
        summary = f"Pregnancy on record: {summary.partition(': ')[2] or summary}"
        lines += ["**Pregnancy on record:** the record's pregnancy status (LOINC 82810-3) is pregnant.", ""]
    for section in sections:
        ordered = _ordered_dose_md(section, order) if section.key == "monitoring" else []
        lines += [f"**{section.title}**", "", *ordered, *_section_md(section), ""]
    indicator = INDICATORS[max((s.tone for s in statements), key=lambda tone: tone.rank)]
    card = _card(summary, lines, indicator, assessment, links, SAFETY_TOPIC)
    if order is not None and indicator != "info":
        card["overrideReasons"] = list(OVERRIDE_REASONS)
    return card


def _ordered_dose_md(monitoring: Section, order: OrderedDose | None) -> list[str]:
    """What the ordered daily dose places on the neuropathy evidence, or why it could not be read."""
    if order is None:
        return []
    if order.mg is None:
        return [_md(f"cledss could not read a daily dose from the selected thalidomide order. {order.why_unread} "
                    "The daily-dose evidence below is not placed for this order; the cledss form takes a dose."), ""]
    band = [s for s in monitoring.statements if s.summary and Outcome.NEUROPATHY_DAILY_DOSE in {f.outcome for f in s.findings}]
    placed = "; ".join(str(s.summary) for s in band) or f"{order.mg} mg/day."
    return [f"**Ordered daily dose:** {_md(placed)}", ""]


def _evidence_card(assessment: Assessment, reading: Reading, links: Links, unread: tuple[str, ...]) -> dict:
    features = assessment.features
    lines = [_md(str(assessment.applicability.headline)), "", *map(_statement_md, assessment.applicability.statements)]
    if features.subtype is None:
        summary = "cledss could not read the CLE subtype from the record"
        lead = (f"{reading.why_no_subtype} The efficacy evidence depends on the CLE subtype and on whether the CLE "
                "resisted antimalarials; the cledss form asks for both.")
    elif reading.antimalarials:
        drugs = " and ".join(reading.antimalarials)
        summary = f"Thalidomide evidence, {features.subtype.label}: {drugs} on record, refractoriness not recorded"
        lead = (f"The record shows {drugs} (prescribed or taken, now or in the past). That shows it was tried, not "
                "that the CLE resisted it, and the study's response and relapse figures are for CLE that resisted "
                "antimalarials. The cledss form asks whether it did, with what the record shows filled in.")
    else:
        summary = f"Thalidomide evidence, {features.subtype.label}: antimalarial history not recorded"
        lead = ("No antimalarial (hydroxychloroquine, chloroquine, quinacrine) is in the medications the EHR sent; "
                "that does not show none was tried. The cledss form asks for the antimalarial history, with what the "
                "record shows filled in.")
    missing = [PREFETCH_MEANING[key] for key in unread if key in PREFETCH_MEANING]
    if missing:
        lead += f" The EHR did not send the record's {'; '.join(missing)}, so they are unknown here."
    return _card(summary, [_md(lead), "", *lines], "info", assessment, links, EVIDENCE_TOPIC)


def _card(summary: str, detail: list[str], indicator: str, assessment: Assessment, links: Links, topic: dict) -> dict:
    footer = f"**{LABEL}.** {_md(str(assessment.intended_use))} Evidence version {assessment.evidence_version}."
    return {
        "uuid": str(uuid.uuid4()),
        "summary": _short(summary),
        "detail": "\n".join(detail).strip() + "\n\n" + footer,
        "indicator": indicator,
        "source": {"label": f"cledss ({LABEL.lower()})", "url": links.form, "topic": topic},
        "links": [_link("cledss form, filled in from the record", links.form_for(assessment.features))],
    }


def _section_md(section: Section) -> list[str]:
    lines = list(map(_statement_md, section.statements))
    for conflict in section.conflicts:
        lines.append(f"- *Conflicting evidence, {_md(str(conflict.question).lower())}; cledss shows both sides:*")
        lines += [f"  - Found an association: {_statement_md(s)[2:]}" for s in conflict.found]
        lines += [f"  - Found no association: {_statement_md(s)[2:]}" for s in conflict.not_found]
    return lines


def _statement_md(statement: Statement) -> str:
    figures = [f"{f.figure} ({f.source.short})" for f in statement.findings if f.figure and str(f.figure) not in statement.text]
    sources = "; ".join(f"{s.short}, {s.identifiers}" if s.identifiers else s.short for s in statement.sources)
    parts = [_md(statement.text)]
    if figures:
        parts.append(f"Figures: {_md('; '.join(figures))}.")
    kind = "Certainty" if statement.certainty.is_grade else "Basis"
    parts.append(f"*{kind}: {statement.certainty.label}.* Sources: {_md(sources)}.")
    return "- " + " ".join(parts)


def _link(label: str, url: str) -> dict:
    return {"label": label, "url": url, "type": "absolute"}


def _short(text: str) -> str:
    """Under the summary limit, cut at a word boundary with an ellipsis when needed."""
    if len(text) < SUMMARY_LIMIT:
        return text
    cut = text[: SUMMARY_LIMIT - 2].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}…"

