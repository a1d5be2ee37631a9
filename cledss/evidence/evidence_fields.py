"""The fields of the evidence record, each declared once: what a study and a finding hold, and where each goes.

For a finding's field this table says where curators edit it (the admin's fieldsets are built from it),
since which format version the evidence file holds it (the file's format version and its upgrades are
worked out from it), how the JSON API describes it (its schema is built from it) and whether FHIR's
Evidence carries it as a note. The clinical core reads a record's fields by the names of
``ReportedFinding``'s own, so a field added to a finding needs its model field and migration, one line
here and one on ``ReportedFinding``.

It imports nothing of Django, so the FHIR export, which reads only plain values, can read it too.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Fieldset:
    """A group of fields on the curation form."""

    title: str | None
    description: str = ""


WHAT_IT_IS = Fieldset(None)
AS_REPORTED = Fieldset(
    "The figure as reported",
    "Enter only what the source reports. Leave counts empty when only a percentage is given; cledss derives "
    "percentages and intervals itself. A figure the source printed wrongly is entered as printed, with a curator note.",
)
WHAT_CLINICIANS_READ = Fieldset("What clinicians read")
IN_SPANISH = Fieldset("In Spanish", "Shown on the Spanish pages; left empty, the English text is shown there.")
# The order the form shows them in.
FIELDSETS = (WHAT_IT_IS, AS_REPORTED, WHAT_CLINICIANS_READ, IN_SPANISH)


@dataclass(frozen=True)
class EvidenceField:
    """One field of a study or finding, and what each rendering of the evidence takes from it."""

    name: str
    # Where curators edit it; None for what the form does not edit (the status) or what is worked out.
    edited_in: Fieldset | None = None
    # On the same line of the form as the field before it.
    beside_previous: bool = False
    # The evidence file's format version that added it; None for what the file does not hold.
    in_file_since: int | None = 1
    # Its description in the API's findings ("" for a field shown without one); None if the API leaves it out.
    api: str | None = None
    # Written on FHIR's Evidence as a note, beside its statistic.
    fhir_note: bool = False


def _worked_out(name: str, description: str) -> EvidenceField:
    """A value the API shows that no curator enters: the core works it out from the finding."""
    return EvidenceField(name, in_file_since=None, api=description)


# In the API's order (its JSON keys follow it); each fieldset of the form takes its fields in this order.
# Format 1 files were written both before and after the Spanish fields existed, so they count from 2.
FINDING = (
    EvidenceField("study", WHAT_IT_IS, in_file_since=None),  # a finding is written inside its study
    EvidenceField("key", WHAT_IT_IS, api=""),
    EvidenceField("outcome", WHAT_IT_IS, api=""),
    EvidenceField("subtype", WHAT_IT_IS),
    EvidenceField("measure", WHAT_IT_IS),
    _worked_out("figure", "The finding's numbers in one phrase, as reported."),
    EvidenceField("statement", WHAT_CLINICIANS_READ, api="What the source found, in the curators' words."),
    EvidenceField(
        "curator_note", WHAT_CLINICIANS_READ, in_file_since=3, fhir_note=True,
        api="What the source printed that does not add up, kept as printed.",
    ),
    EvidenceField("numerator", AS_REPORTED, api=""),
    EvidenceField("denominator", AS_REPORTED, beside_previous=True, api=""),
    EvidenceField("estimate", AS_REPORTED, api="As reported, a decimal written as a string."),
    EvidenceField("estimate_kind", AS_REPORTED, beside_previous=True),
    EvidenceField("unit", AS_REPORTED, beside_previous=True),
    EvidenceField("lower", AS_REPORTED, api=""),
    EvidenceField("upper", AS_REPORTED, beside_previous=True, api=""),
    EvidenceField("interval", AS_REPORTED, beside_previous=True, api=""),
    EvidenceField("time_frame", AS_REPORTED),
    EvidenceField("daily_dose_above", AS_REPORTED, in_file_since=3),
    EvidenceField("daily_dose_up_to", AS_REPORTED, beside_previous=True, in_file_since=3),
    EvidenceField(
        "comparator", WHAT_CLINICIANS_READ, in_file_since=2, api="What a ratio compares against; empty for other figures."
    ),
    EvidenceField("association", WHAT_CLINICIANS_READ, in_file_since=2),
    EvidenceField(
        "nerve_testing", AS_REPORTED, in_file_since=4,
        api="For a neuropathy figure, whose nerves its source tested: 'every_patient', "
        "'patients_with_symptoms' or 'none' (symptoms only); empty where the abstract does not say.",
    ),
    EvidenceField(
        "certainty", WHAT_CLINICIANS_READ, api="A GRADE level, or 'consensus' (a guideline) or 'regulatory' (the label)."
    ),
    EvidenceField("certainty_reason", WHAT_CLINICIANS_READ, api=""),
    _worked_out("source_key", ""),
    EvidenceField("statement_es", IN_SPANISH, in_file_since=2),
    EvidenceField("comparator_es", IN_SPANISH, in_file_since=2),
    EvidenceField("curator_note_es", IN_SPANISH, in_file_since=3),
    EvidenceField("certainty_reason_es", IN_SPANISH, in_file_since=2),
    EvidenceField("status"),  # changed only by the workflow; the file holds published evidence only
)

# A study's fields as the evidence file holds them; the curation form lays them out itself (admin.py).
_STUDY_ADDED = {"short_es": 2, "title": 2, "design_es": 2, "population_es": 2, "certainty_reason_es": 2, "intervention_es": 4, "follow_up_es": 4}
STUDY = tuple(
    EvidenceField(name, in_file_since=_STUDY_ADDED.get(name, 1))
    for name in (
        "key", "short", "short_es", "title", "citation", "year", "pmid", "doi", "url", "role", "design", "design_es",
        "setting", "size", "population", "population_es", "intervention", "intervention_es", "follow_up", "follow_up_es",
        "subtypes_reported", "certainty", "certainty_reason", "certainty_reason_es", "status",
    )
)


def in_file(fields: tuple[EvidenceField, ...]) -> tuple[str, ...]:
    """The names the evidence file holds of these fields."""
    return tuple(f.name for f in fields if f.in_file_since is not None)


def added_in(fields: tuple[EvidenceField, ...], version: int) -> tuple[str, ...]:
    """The names of the fields the evidence file's format ``version`` added."""
    return tuple(f.name for f in fields if f.in_file_since == version)


FORMAT_VERSION = max(f.in_file_since or 1 for f in (*FINDING, *STUDY))


def form_layout(fields: tuple[EvidenceField, ...]) -> list[tuple[Fieldset, list]]:
    """The curation form's fieldsets, each with its lines (a name, or a tuple of names on one line)."""
    layout: dict[Fieldset, list] = {fieldset: [] for fieldset in FIELDSETS}
    for f in fields:
        if f.edited_in is None:
            continue
        lines = layout[f.edited_in]
        if f.beside_previous:
            previous = lines.pop()
            lines.append((*previous, f.name) if isinstance(previous, tuple) else (previous, f.name))
        else:
            lines.append(f.name)
    return [(fieldset, lines) for fieldset, lines in layout.items() if lines]
