"""The answer at a glance: the fit, then one line per question, each the short form of its statements."""

from ..phrases import _
from .results import Applicability, KeyPoint, Section, Statement, Tone

TOPICS = {
    "response": _("Likely response"),
    "relapse": _("Relapse and remission"),
    "monitoring": _("Neurological monitoring"),
}


def key_points(applicability: Applicability, sections: tuple[Section, ...]) -> tuple[KeyPoint, ...]:
    """The fit; the response, relapse and monitoring lines; then every danger-level point for this patient."""
    points = []
    if applicability.verdict is not None:
        points.append(KeyPoint(_("Fit"), (applicability.verdict,), "applicability"))
    for section in sections:
        shown = tuple(s for s in section.all_statements if s.summary and s.tone != Tone.DANGER)
        if section.key == "relapse":
            shown = _for_this_subtype(shown)
        if section.key in TOPICS and shown:
            points.append(KeyPoint(TOPICS[section.key], shown, section.key))
    for section in sections:
        for statement in section.all_statements:
            if statement.tone == Tone.DANGER and statement.summary:
                points.append(KeyPoint(_("For this patient"), (statement,), section.key))
    return tuple(points)


def _for_this_subtype(statements: tuple[Statement, ...]) -> tuple[Statement, ...]:
    """The subtype's own estimate where the study gives one; the whole cohort's relapse otherwise."""
    specific = tuple(s for s in statements if any(f.subtype is not None for f in s.findings))
    return specific or statements
