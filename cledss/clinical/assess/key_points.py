"""The answer at a glance, in the order a reader needs it (shared/DESIGN.md, "Layers of one result").

The fit; every danger-level point for this patient, each on a line of its own; the label's boxed warnings,
which every patient shares; then response, relapse and monitoring, each statement a short line. Each line
is the short form of a statement below, with its certainty and sources.
"""

from ..phrases import _
from .results import Applicability, KeyPoint, Section, Statement, Tone

TOPICS = {
    "response": _("Response in the study"),
    "relapse": _("Relapse and remission"),
    "monitoring": _("Neurological monitoring"),
}
FIT = _("Fit")
FOR_THIS_PATIENT = _("For this patient")
BOXED_WARNINGS = _("Boxed warnings (label)")
# This patient's safety (pregnancy, thrombosis) before their nerves, as the label's warnings come first.
DANGER_ORDER = ("safety", "monitoring")


def key_points(applicability: Applicability, sections: tuple[Section, ...]) -> tuple[KeyPoint, ...]:
    points = []
    if applicability.verdict is not None:
        points.append(KeyPoint(FIT, (applicability.verdict,), "applicability", graded=False))
    by_danger = sorted(sections, key=lambda s: DANGER_ORDER.index(s.key) if s.key in DANGER_ORDER else len(DANGER_ORDER))
    points += [
        KeyPoint(FOR_THIS_PATIENT, (statement,), section.key)
        for section in by_danger
        for statement in _summarised(section)
        if statement.tone == Tone.DANGER
    ]
    for section in sections:
        boxed = tuple(s for s in _summarised(section) if s.boxed and s.tone != Tone.DANGER)
        if boxed:
            points.append(KeyPoint(BOXED_WARNINGS, boxed, section.key))
    for section in sections:
        shown = tuple(s for s in _summarised(section) if s.tone != Tone.DANGER and not s.boxed)
        if section.key in TOPICS and shown:
            points.append(KeyPoint(TOPICS[section.key], shown, section.key))
    return tuple(points)


def _summarised(section: Section) -> tuple[Statement, ...]:
    return tuple(s for s in section.all_statements if s.summary)
