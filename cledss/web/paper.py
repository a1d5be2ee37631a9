"""What the PDFs are fed: the assessment as the API serves it, plus what only paper needs.

Each document's data is one JSON value: ``assessment_json`` (the API's own rendering) with the words of
the page around it in the active language, the inputs as the form shows them, each picture's geometry
(graphics.py, which also draws the result page's SVG) and, for the summary, which statements it
shows. The Typst templates (typst/) show every string of it as text; none is ever read as markup.
Nothing here computes a clinical figure: it copies what ``assess`` decided.
"""

from datetime import datetime

from django.utils import dateformat
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cledss.clinical.assess import Assessment, Statement, Tone
from cledss.clinical.body_of_evidence import Certainty, NerveTesting, Outcome, ReportedFinding, Source
from cledss.clinical.handout import Handout
from cledss.clinical.handout import handout as handout_for
from cledss.clinical.handout import wording as plain
from cledss.clinical.visuals import PEOPLE, DoseChart, ForestPlot, IconArray
from cledss.interop.serialise import assessment_json, statement_json

from . import graphics
from .templatetags import evidence_pictures

# The section every patient's safety facts are in, whatever the fit (cledss/clinical/assess/safety.py).
SAFETY_SECTION = "safety"
# Statements of these tones speak of this patient's own features or of what every patient is warned of.
FOR_THIS_PATIENT = (Tone.DANGER, Tone.WARNING)


def summary(assessment: Assessment, *, moment: datetime, version_entry: str) -> dict:
    """The chart summary: label, inputs, key points, this patient's statements, the safety facts every patient
    gets, the pictures and the references these cite."""
    shown = {"patient": for_this_patient(assessment), "safety": safety_facts(assessment)}
    cited = {
        *(s.key for point in assessment.key_points for statement in point.statements for s in statement.sources),
        *(s.key for statements in shown.values() for statement in statements for s in statement.sources),
        *(_source(visual).key for visual in _visuals(assessment)),
    }
    return {
        **_evidence_document(assessment, _("Evidence summary"), moment, version_entry),
        "patient": [statement_json(s) for s in shown["patient"]],
        "safety": [statement_json(s) for s in shown["safety"]],
        "cited": [source.key for source in assessment.sources if source.key in cited],
    }


def full_evidence(assessment: Assessment, *, moment: datetime, version_entry: str) -> dict:
    """Everything the result page holds, expanded: every section with its pictures, the tables, all references."""
    data = _evidence_document(assessment, _("Full evidence"), moment, version_entry)
    data["reasons"] = {
        "applicability": [s.certainty_reason for s in assessment.applicability.statements],
        "refractoriness": [s.certainty_reason for s in assessment.applicability.refractoriness],
        **{section.key: [s.certainty_reason for s in section.statements] for section in assessment.sections},
    }
    data["summary_table"] = _summary_table(assessment)
    data["sources"] = {source.key: _source_details(source) for source in assessment.sources}
    data["outcomes"] = {outcome.value: str(outcome.label) for outcome in Outcome}
    data["nerve_testing"] = {kind.value: str(kind.label or "") for kind in NerveTesting}
    return data


def handout(assessment: Assessment, *, moment: datetime, version_entry: str = "") -> dict:
    """The patient's handout: its parts in plain words, its icon arrays, questions and short reference list."""
    sheet = handout_for(assessment)
    return {
        **_document(sheet.title, sheet.label, sheet.evidence_version, moment),
        "heading": str(sheet.title),
        "words": {**_words(), "made_on": _("Made on")},
        "parts": [
            {
                "key": part.key,
                "title": str(part.title),
                "pictures": [
                    {**_icons(picture.array), "caption": _plain_statement(picture.statement, sheet)}
                    for picture in part.pictures
                ],
                "statements": [_plain_statement(s, sheet) for s in part.statements],
            }
            for part in sheet.parts
        ],
        "questions_title": str(sheet.questions_title),
        "questions": [str(q) for q in sheet.questions],
        "sources_title": str(sheet.sources_title),
        "sources": [
            f"{capfirst(str(plain.ROLES[source.role]))}: {source.short}. {source.identifiers}"
            for source in sheet.sources
        ],
    }


def for_this_patient(assessment: Assessment) -> tuple[Statement, ...]:
    """The statements outside the safety facts that warn of something, most of them of this patient's own
    features (pregnancy, thrombosis, neuropathy, a fall in SNAP, the dose), in the result page's order."""
    sections = (s for s in assessment.sections if s.key != SAFETY_SECTION)
    statements = (*assessment.applicability.statements, *(s for section in sections for s in section.all_statements))
    return tuple(s for s in statements if s.tone in FOR_THIS_PATIENT)


def safety_facts(assessment: Assessment) -> tuple[Statement, ...]:
    """The safety section whole: the label's facts every patient gets, and what they mean for this one."""
    section = assessment.section(SAFETY_SECTION)
    return section.statements if section else ()


def _document(title, label, version: str, moment: datetime) -> dict:
    return {
        "lang": get_language(),
        # What a reader's title bar and an archive show: the document, then who made it.
        "title": f"{title} · cledss",
        "label": str(label),
        "evidence_version": version,
        "generated": dateformat.format(moment, "Y-m-d H:i T"),
    }


def _evidence_document(assessment: Assessment, title: str, moment: datetime, version_entry: str) -> dict:
    return {
        **_document(title, assessment.label, assessment.evidence_version, moment),
        "heading": _("Low-dose thalidomide in CLE: what the evidence reports for these features"),
        "version_entry": version_entry,
        "words": _words(),
        "certainty": {c.value: _certainty(c) for c in Certainty},
        "assessment": assessment_json(assessment),
        "inputs": [[str(label), str(value)] for label, value in assessment.features.inputs],
        "pictures": {
            section.key: [_picture(visual) for visual in section.visuals] for section in assessment.sections
        },
    }


def _words() -> dict[str, str]:
    """The words around the data, each already translated for the page or the handout."""
    return {
        "cledss": "cledss",
        "generated": _("Generated"),
        "evidence_version": _("Evidence version"),
        "page": _("Page %(page)s of %(pages)s"),
        "inputs": _("Inputs used"),
        "key_points": _("Key points"),
        "for_this_patient": _("For this patient"),
        "pictures": _("What the evidence shows, drawn"),
        "references": _("References"),
        "intended_use": _("What cledss is for:"),
        "applies": _("Does the evidence apply to this patient?"),
        "refractoriness": _("Why antimalarials fail: what studies report"),
        "conflict": _("Conflicting evidence: %(question)s"),
        "conflict_note": _("The studies disagree; cledss shows both sides and does not decide between them."),
        "found": _("Found an association"),
        "not_found": _("Found no association"),
        "summary_of_findings": _("Summary of findings"),
        "summary_caption": _("The primary study beside the meta-analysis, with the certainty of each figure."),
        "outcome": _("Outcome"),
        "primary_study": _("Primary study"),
        "pooled": _("Meta-analysis (pooled)"),
        "not_reported": _("Not reported"),
        "cohorts": _("All cohorts side by side"),
        "cohorts_caption": _(
            "Each cell as its source reports it: counts where given, percentages where only they are given; a dash "
            "where the abstract gives nothing. Under each figure, what the source counted and when; beside each "
            "neuropathy figure, whose nerves the source tested, where its abstract says."
        ),
        "study": _("Study"),
        "population": _("Population, dose and follow-up"),
        "response": _("Response"),
        "complete_response": _("Complete response"),
        "partial": _("partial"),
        "relapse": _("Relapse"),
        "neuropathy": _("Neuropathy"),
        "adverse_events": _("Adverse events"),
        "includes_subtype": _("includes this patient's subtype"),
        "certainty_of_evidence": _("Certainty of evidence:"),
        "basis": _("Basis:"),
        "reference": _("reference"),
        "this_patient": _("this patient"),
    }


def _certainty(certainty: Certainty) -> str:
    if certainty.is_grade:
        return _("Certainty: %(label)s") % {"label": certainty.label}
    return _("Basis: %(label)s") % {"label": certainty.label}


def _visuals(assessment: Assessment):
    return (visual for section in assessment.sections for visual in section.visuals)


def _source(visual: IconArray | ForestPlot | DoseChart) -> Source:
    if isinstance(visual, IconArray):
        return visual.finding.source
    if isinstance(visual, ForestPlot):
        return visual.rows[0].finding.source
    return visual.source


def _icons(array: IconArray) -> dict:
    # The drawing is the handout page's own SVG, each person a circle of its own: Typst reads it far faster than
    # it lays out a hundred shapes of its own (bench/README.md).
    return {
        "kind": "icons",
        "filled": array.filled,
        "people": PEOPLE,
        "alt": str(array.description),
        "svg": evidence_pictures.icon_array(array, "paper", array.filled),
    }


def _picture(visual: IconArray | ForestPlot | DoseChart) -> dict:
    """A picture as the template draws it: its geometry in SVG user units, its alt text and its visible caption."""
    cites = {"sources": [_source(visual).key]}
    if isinstance(visual, IconArray):
        return {**_icons(visual), "caption": str(visual.description), **cites}
    if isinstance(visual, ForestPlot):
        rows = graphics.forest_rows(visual)
        return {
            "kind": "forest",
            "alt": f"{visual.title}. {visual.description} {_('The line of no effect is at an odds ratio of 1.')}",
            "caption": str(visual.caption),
            "rows": [
                {"label": str(r.label), "y": r.y, "label_y": r.label_y, "lower": r.lower, "upper": r.upper,
                 "estimate": r.estimate, "highlighted": r.highlighted}
                for r in rows
            ],
            "ticks": graphics.forest_ticks(),
            "no_effect": graphics.log_x(graphics.NO_EFFECT),
            "left": graphics.PLOT_LEFT,
            "right": graphics.PLOT_LEFT + graphics.PLOT_WIDTH,
            "axis_y": graphics.ROW_HEIGHT * (len(rows) + 1) - 8,
            "marker": graphics.MARKER,
            "lower": str(visual.lower),
            "higher": str(visual.higher),
            "axis_label": str(visual.axis_label),
            **cites,
        }
    rows = graphics.dose_rows(visual)
    return {
        "kind": "dose",
        "alt": str(visual.description),
        "caption": str(visual.caption),
        "rows": [
            {"label": str(r.label), "ratio": r.ratio, "bar_y": r.bar_y, "width": r.width, "value_x": r.value_x,
             "highlighted": r.highlighted, "reference": r.reference}
            for r in rows
        ],
        "ticks": graphics.dose_ticks(visual),
        "reference_x": graphics.DOSE_LEFT,
        "right": graphics.DOSE_LEFT + graphics.DOSE_WIDTH,
        "row": graphics.DOSE_ROW,
        "bar": graphics.DOSE_BAR,
        "width": graphics.DOSE_CANVAS,
        **cites,
    }


def _summary_table(assessment: Assessment) -> dict | None:
    table = assessment.summary
    if table is None:
        return None
    return {
        "study": table.study and {"short": table.study.short, "key": table.study.key, "follow_up": table.study.follow_up},
        "pooled": table.pooled and {"short": table.pooled.short, "key": table.pooled.key},
        "follow_up": _("Follow-up: %(follow_up)s.") % {"follow_up": table.study.follow_up}
        if table.study and table.study.follow_up
        else "",
        "rows": [
            {"outcome": str(row.outcome), "study": _cell(row.study), "pooled": _cell(row.pooled),
             "study_note": str(row.study_note or "")}
            for row in table.rows
        ],
    }


def _cell(finding: ReportedFinding | None) -> dict | None:
    return finding and {"figure": str(finding.figure), "certainty": finding.certainty.value}


def _source_details(source: Source) -> dict:
    follow_up = _("Follow-up: %(follow_up)s.") % {"follow_up": source.follow_up} if source.follow_up else ""
    return {
        "population": " ".join(p for p in (source.population, f"{source.intervention}." if source.intervention else "", follow_up) if p),
        "certainty_reason": source.certainty_reason,
    }


def _plain_statement(statement: Statement, sheet: Handout) -> dict:
    """A handout statement as plain_statement.html words it: the sentence, where it comes from and how sure."""
    basis = ""
    if statement.sources:
        where = ", ".join(
            f"{plain.ROLES[s.role]} ({s.short}) [{sheet.references[s.key]}]" for s in statement.sources
        )
        basis = f"{_('From')} {where}. {plain.SURE[statement.certainty]}"
    return {"text": statement.text, "tone": statement.tone.value, "basis": basis}
