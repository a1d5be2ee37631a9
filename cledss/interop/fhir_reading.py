"""Read a patient's clinical features from the FHIR resources a CDS Hooks request carries.

Pure and defensive: it takes parsed JSON (any shape) and never raises on odd input; what it
cannot read it reports as unknown rather than guessing. A field whose JSON type is not the one
FHIR gives it (a list or an object for a code or a status, a number for an id, a string for a
dose, a null anywhere) is read as absent. It reads no identifier and returns none: only the
features ``assess`` needs and short notes on what was found.

Where the codes come from
-------------------------
SNOMED CT codes for the CLE subtypes were checked against the fully specified names in a
published NHS primary-care code list: the OpenSAFELY "systemic lupus erythematosus" code list
(opencodelists.org, opensafely/systemic-lupus-erythematosus-sle, 2020-05-12) as republished in
the GitHub repository UoM-Data-Science-Platforms/gm-sde,
shared/clinical-code-sets/conditions/sle/1/sle.snomed.txt (commit f5df9abe).
No SNOMED CT code for *acute* CLE was found there, so ACLE is matched on text only.

Tobacco: LOINC 72166-2 "Tobacco smoking status" (US Core smoking status profile) with the
current-smoker SNOMED CT values of the ONC smoking-status value set, seen in several
independent FHIR code bases. Peripheral neuropathy: SNOMED CT 42345000 (polyneuropathy),
7339009 (drug-induced) and 13694005 (sensory), or narrow text. Thalidomide is read from RxNorm's
ingredient code 10432 or from its name in the text. Text (CodeableConcept.text and
Coding.display) is read only where no code says it; negated phrases are skipped.

Pregnancy, answer by answer. LOINC 82810-3 "Pregnancy status" is read from its answer:
``PREGNANCY_STATUS_ANSWERS`` (pregnant, not pregnant, unknown, each as SNOMED CT and as a LOINC
answer) as the pregnancy status value sets of hl7germany/forschungsnetz-covid19
(input/fsh/valuesets/PregnancyStatus.fsh) and WorldHealthOrganization/smart-example-immz
(input/fsh/valuesets/pregnancystatus-values.fsh) list them. Of several statuses the latest counts
(effective date, else issued); a current Condition coded 77386006 is a pregnancy whatever the
statuses say. "Not pregnant" records a patient who can become pregnant, as does any answer to
LOINC 86645-9 "Pregnancy intention" (``PREGNANCY_INTENTION_ANSWERS``, the SNOMED CT and LOINC
answers of US Core's pregnancy intent value set, HL7/US-Core
input/intro-notes/ValueSet-us-core-pregnancy-intent-intro.md) other than unknown: both questions
are asked of patients who can become pregnant. "Unknown" is read as unknown, not as a yes or a no.

Thrombosis history: ``THROMBOSIS_SNOMED`` and ``THROMBOSIS_ICD10CM``, each code with where it was
checked; codes are matched without display text, exactly for SNOMED CT (cledss has no terminology
server to expand a concept's descendants) and by prefix for ICD-10-CM (I26 matches I26.99).

Antimalarials: a MedicationRequest (US Core) or MedicationStatement for hydroxychloroquine,
by RxNorm code (the ingredient 5521 and its products, as listed in the VSAC value set
2.16.840.1.113762.1.4.1032.127 "C19HCC Hydroxychloroquine", MITRE, 2020-04-17) or by name;
chloroquine and quinacrine (mepacrine) by name only, no code for them having been verified here.
Whatever its status (active, stopped, completed), a prescription shows the drug was tried; it
never says whether the CLE resisted it, so the antimalarial history (the form's refractory,
intolerant, ...) is never read from a record: it stays unknown and the cards ask for it.

Thalidomide taken: a thalidomide MedicationRequest or MedicationStatement whose status is
``active`` or ``on-hold``. Its months on treatment are counted from the earliest start on record
among the thalidomide prescriptions and statements that were not cancelled or entered in error
(``effectivePeriod.start`` or ``effectiveDateTime``, a dosage's ``boundsPeriod.start``, else
``authoredOn``), as whole calendar months to the day of the call; an interruption is not
subtracted, and the cards say from what date they counted.

Daily doses (the ordered one, on order-select and order-sign, and the one taken, on patient-view)
are read only where unambiguous: one dosage instruction whose one ``doseAndRate.doseQuantity`` is
in mg or g (UCUM code ``mg`` or ``g``, or that unit without a code; 0.1 g is 100 mg) and whose
``timing.repeat`` gives a whole ``frequency`` per ``period`` 1 ``periodUnit`` ``d`` (twice a day
doubles the dose). Anything else (a range, as needed, days of the week, a rate) is reported as
unread, with the reason, rather than guessed; an as-needed field (R4 ``asNeededBoolean`` or
``asNeededCodeableConcept``, R5 ``asNeeded`` or ``asNeededFor``) that is anything but ``false``
counts as as needed.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from cledss.clinical.features import PatientFeatures, Subtype, feature_named
from cledss.clinical.stats import number

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
NULL_FLAVOR = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"

# SNOMED CT concept -> subtype; fully specified names as in the code list cited above.
SUBTYPE_CODES = {
    "239891002": Subtype.SCLE,  # Subacute cutaneous lupus erythematosus (disorder)
    "200938002": Subtype.DLE,  # Discoid lupus erythematosus (disorder)
    "238927000": Subtype.DLE,  # Chronic discoid lupus erythematosus (disorder)
    "79291003": Subtype.DLE,  # Discoid lupus erythematosus of eyelid (disorder)
    "15084002": Subtype.PROFUNDUS,  # Lupus erythematosus profundus (disorder)
    "239888002": Subtype.PROFUNDUS,  # Lupus panniculitis (disorder)
    "200941006": Subtype.TUMIDUS,  # Lupus erythematosus tumidus (disorder)
    "238928005": Subtype.CHILBLAIN,  # Chilblain lupus erythematosus (disorder)
    "1220590003": Subtype.CHILBLAIN,  # Familial chilblain lupus erythematosus (disorder)
}
# Lupus without a subtype: a CLE record, but not one cledss can assess.
LUPUS_WITHOUT_SUBTYPE_CODES = {
    "7119001",  # Cutaneous lupus erythematosus (disorder)
    "200936003",  # Lupus erythematosus (disorder)
    "200937007",  # Lupus erythematosus chronicus (disorder)
}
# Text fallback, tried only when no coding matched; order matters (subacute before acute).
SUBTYPE_TEXT = [
    (re.compile(r"\bsubacute cutaneous lupus|\bscle\b", re.I), Subtype.SCLE),
    (re.compile(r"\bacute cutaneous lupus|\bacle\b", re.I), Subtype.ACLE),
    (re.compile(r"\bdiscoid\b|\bdle\b", re.I), Subtype.DLE),
    (re.compile(r"\bprofundus\b|\blupus panniculitis\b", re.I), Subtype.PROFUNDUS),
    (re.compile(r"\btumidus\b", re.I), Subtype.TUMIDUS),
    (re.compile(r"\bchilblain lupus\b", re.I), Subtype.CHILBLAIN),
]
LUPUS_TEXT = re.compile(r"\blupus\b", re.I)

SMOKING_STATUS = "72166-2"  # LOINC: Tobacco smoking status
CURRENT_SMOKER_CODES = {
    "449868002",  # Smokes tobacco daily (current every day smoker)
    "428041000124106",  # Occasional tobacco smoker (current some day smoker)
    "77176002",  # Smoker
    "428071000124103",  # Heavy tobacco smoker
    "428061000124105",  # Light tobacco smoker
}
PREGNANCY_STATUS = "82810-3"  # LOINC: Pregnancy status
PREGNANCY_INTENTION = "86645-9"  # LOINC: Pregnancy intention
PREGNANT = "77386006"  # SNOMED CT: Pregnant (finding)


class Pregnancy(StrEnum):
    """What the record says of a pregnancy, most serious last."""

    NOT_RECORDED = "not recorded"
    UNKNOWN = "unknown"
    NOT_PREGNANT = "not pregnant"
    PREGNANT = "pregnant"

    @property
    def rank(self) -> int:
        return list(Pregnancy).index(self)


# LOINC 82810-3's answers (sources in the module docstring).
PREGNANCY_STATUS_ANSWERS = {
    (SNOMED, PREGNANT): Pregnancy.PREGNANT,  # Pregnant (finding)
    (SNOMED, "60001007"): Pregnancy.NOT_PREGNANT,  # Not pregnant (finding)
    (SNOMED, "261665006"): Pregnancy.UNKNOWN,  # Unknown (qualifier value)
    (LOINC, "LA15173-0"): Pregnancy.PREGNANT,  # Pregnant
    (LOINC, "LA26683-5"): Pregnancy.NOT_PREGNANT,  # Not pregnant
    (LOINC, "LA4489-6"): Pregnancy.UNKNOWN,  # Unknown
    (NULL_FLAVOR, "UNK"): Pregnancy.UNKNOWN,  # the null flavour US Core adds to both value sets
}
# Written answers, tried only when no code says it; "not pregnant" before "pregnant".
PREGNANCY_STATUS_TEXT = (
    (re.compile(r"\bnot pregnant\b|\bnon-?pregnant\b", re.I), Pregnancy.NOT_PREGNANT),
    (re.compile(r"\bunknown\b|\bnot known\b|\bunsure\b", re.I), Pregnancy.UNKNOWN),
    (re.compile(r"^\s*(patient currently )?pregnant\b", re.I), Pregnancy.PREGNANT),
)
# LOINC 86645-9's answers: US Core's pregnancy intent value set and LOINC's answer list LL4053-6.
PREGNANCY_INTENTION_ANSWERS = {
    (SNOMED, "454381000124105"),  # Not sure of desire to become pregnant (finding); LOINC LA14072-5 Unsure
    (SNOMED, "454391000124108"),  # Ambivalent about becoming pregnant (finding); LA26439-2
    (SNOMED, "454401000124105"),  # No desire to become pregnant (finding); LA26440-0
    (SNOMED, "454411000124108"),  # Wants to become pregnant (finding); LA26438-4
    (LOINC, "LA14072-5"), (LOINC, "LA26439-2"), (LOINC, "LA26440-0"), (LOINC, "LA26438-4"),
}
UNKNOWN_TEXT = re.compile(r"^\s*(unknown|not known|not asked|asked but unknown)\s*$", re.I)

NEUROPATHY_CODES = {
    "42345000",  # Polyneuropathy (disorder)
    "7339009",  # Drug-induced peripheral neuropathy
    "13694005",  # Sensory neuropathy
}
ANTIPHOSPHOLIPID_SYNDROME = "26843008"  # Antiphospholipid syndrome (disorder)
# A thrombosis history, venous or arterial, or antiphospholipid syndrome: each concept as the card names it,
# with where its code and fully specified name were seen.
THROMBOSIS_SNOMED = {
    # logicahealth/covid-19, fsh/fsh-source/CV19-ValueSets.fsh (its cardiovascular underlying condition value set):
    "128053003": "deep venous thrombosis",
    "161508001": "a history of deep vein thrombosis",
    "59282003": "pulmonary embolism",
    "161512007": "a history of pulmonary embolus",
    "22298006": "myocardial infarction",
    "399211009": "a history of myocardial infarction",
    "401303003": "acute ST segment elevation myocardial infarction",
    "401314000": "acute non-ST segment elevation myocardial infarction",
    # tecnomod-um/SK-FHIR-IG, input/pagecontent/valuesets-StrokeDiagnosisVS.md, and the MII cardiology module:
    "422504002": "ischaemic stroke",
    # Named so in public OMOP concept sets and FHIR value sets; not verified against a SNOMED CT release:
    "432504007": "cerebral infarction",
    "429098002": "thromboembolism of vein",
    "65198009": "arterial thrombosis",
    # Seen with its fully specified name in two independent FHIR value sets:
    ANTIPHOSPHOLIPID_SYNDROME: "antiphospholipid syndrome",
}
# ICD-10-CM categories as the issue names them, matched by prefix; titles as the ICD-10-CM tabular list gives
# them, not verified here against a release.
THROMBOSIS_ICD10CM = {
    "I21": "acute myocardial infarction",
    "I26": "pulmonary embolism",
    "I63": "cerebral infarction",
    "I80": "phlebitis and thrombophlebitis",
    "I81": "portal vein thrombosis",
    "I82": "other venous embolism and thrombosis",
    "D68.61": "antiphospholipid syndrome",
}
# The Observation codes cledss reads; its prefetch asks for these only.
OBSERVATION_CODES = ((LOINC, SMOKING_STATUS), (LOINC, PREGNANCY_STATUS), (LOINC, PREGNANCY_INTENTION))

NEGATED = re.compile(r"\b(no|not|non|never|ex|former|denies|without|negative|absent|unable|cannot|post-?menopausal)\b", re.I)
NEUROPATHY_TEXT = re.compile(r"(?<!optic )neuropath", re.I)
# Not thrombocytopenia; an infarction or an ischaemic stroke is an arterial thrombosis or embolism.
THROMBOSIS_TEXT = re.compile(r"thrombos|thrombus|emboli|antiphospholipid|infarct|isch(a)?emic stroke", re.I)
PREGNANCY_TEXT = re.compile(r"pregnan|child-?bearing|reproductive potential", re.I)
SMOKER_TEXT = re.compile(r"^\s*(current|heavy|light|occasional|daily)\b.*smok|^\s*smoker\s*$|^\s*smokes\b", re.I)
THALIDOMIDE_TEXT = re.compile(r"\bthalidomide\b", re.I)
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
THALIDOMIDE_RXNORM = {"10432"}  # the ingredient
UCUM = "http://unitsofmeasure.org"
# A dose in one of these UCUM units, in mg.
MG_PER_UNIT = {"mg": Decimal(1), "g": Decimal(1000)}
# A timing repeat read as "every day": these keys only (when and time of day do not change the count).
DAILY_TIMING_KEYS = {"frequency", "period", "periodUnit", "when", "timeOfDay", "boundsPeriod", "boundsDuration"}
INACTIVE_STATUSES = {"inactive", "resolved", "remission", "refuted", "entered-in-error", "cancelled", "amended-in-error"}
# A medication with one of these statuses was never taken: ordered in error, cancelled before use, a draft.
NEVER_TAKEN = {"entered-in-error", "cancelled", "draft", "not-taken"}
# A medication with one of these statuses is being taken (paused, for on-hold).
BEING_TAKEN = {"active", "on-hold"}
ORDER_HOOKS = ("order-select", "order-sign")
# A dosage is taken as needed when any of these says so: R4's two, R5's two.
AS_NEEDED = ("asNeededBoolean", "asNeededCodeableConcept", "asNeeded", "asNeededFor")
# Observation.value[x]: the kinds that are JSON strings, booleans or integers; every other kind
# (Quantity, CodeableConcept, Range, Period, ...) is an object.
PRIMITIVE_VALUES = {
    "valueString": str, "valueTime": str, "valueDateTime": str, "valueBoolean": bool, "valueInteger": int,
}
ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Antimalarial:
    name: str
    rxnorm: frozenset[str]
    text: re.Pattern


ANTIMALARIALS = (
    Antimalarial(
        "hydroxychloroquine",
        # VSAC 2.16.840.1.113762.1.4.1032.127: the ingredient, its salt, Plaquenil and their products
        frozenset({"5521", "153972", "202462", "370656", "979091", "979092", "979093", "979094",
                   "1164627", "1164628", "1181266", "1181267"}),
        re.compile(r"hydroxychloroquine|plaquenil", re.I),
    ),
    Antimalarial("chloroquine", frozenset(), re.compile(r"(?<!hydroxy)chloroquine", re.I)),
    Antimalarial("quinacrine (mepacrine)", frozenset(), re.compile(r"quinacrine|mepacrine|atabrine", re.I)),
)


@dataclass(frozen=True)
class PregnancyRecord:
    """What the record says of a pregnancy, and where it says it: the pregnancy status or a condition's code."""

    status: Pregnancy = Pregnancy.NOT_RECORDED
    recorded_as: str = ""


@dataclass(frozen=True)
class OrderedDose:
    """A daily dose of thalidomide in mg, or why it could not be read."""

    mg: int | None
    why_unread: str = ""


@dataclass(frozen=True)
class TakenThalidomide:
    """Thalidomide the record shows being taken: since when (the earliest start on record) and for how many whole
    months, and its daily dose where one active prescription or statement gives it unambiguously."""

    since: date | None
    months: int | None
    dose: OrderedDose


@dataclass(frozen=True)
class Reading:
    """What could be read: the features (a subtype the record does not say, and the antimalarial history,
    stay unknown, None), why no subtype could be read, and what else was seen on the way: the antimalarials
    the record shows were prescribed or taken, what it says of a pregnancy, the thromboses it names and the
    thalidomide it shows being taken."""

    features: PatientFeatures
    why_no_subtype: str
    lupus_on_record: bool
    antimalarials: tuple[str, ...] = ()
    pregnancy: PregnancyRecord = PregnancyRecord()
    thromboses: tuple[str, ...] = ()
    thalidomide: TakenThalidomide | None = None

    @property
    def pregnant(self) -> bool:
        return self.pregnancy.status == Pregnancy.PREGNANT


def read_patient(prefetch, *, today: date | None = None) -> Reading:
    """Features from a CDS Hooks ``prefetch`` object (each value a resource or a Bundle); ``today`` dates the
    months on thalidomide (without it they are not counted)."""
    resources = list(_resources(prefetch.values() if isinstance(prefetch, dict) else ()))
    conditions = [r for r in resources if r.get("resourceType") == "Condition" and _current(r)]
    observations = [r for r in resources if r.get("resourceType") == "Observation" and _current(r)]
    medications = [r for r in resources if r.get("resourceType") in ("MedicationStatement", "MedicationRequest")]

    subtypes = {s for s in (_subtype(c) for c in conditions) if s is not None}
    lupus = bool(subtypes) or any(_is_lupus(c) for c in conditions)
    if not isinstance(prefetch, dict) or not prefetch:
        why = "The request carried no prefetched FHIR resources, and cledss does not query the record itself."
    elif not subtypes:
        why = "No CLE subtype is coded among the patient's current conditions."
    elif len(subtypes) > 1:
        labels = ", ".join(sorted(str(s.label) for s in subtypes))
        why = f"More than one CLE subtype is recorded ({labels}); cledss will not choose between them."
    else:
        why = ""
    pregnancy = _pregnancy(conditions, observations)
    thromboses = tuple(dict.fromkeys(name for c in conditions for name in _thromboses(c)))
    # A status that is not a string is unread, as if absent: the prescription still shows the drug.
    taken = [m for m in medications if _string(m.get("status")) not in NEVER_TAKEN]
    thalidomide = _taken_thalidomide([m for m in taken if _is_thalidomide(_medication_concept(m))], today)
    potential = pregnancy.status in (Pregnancy.PREGNANT, Pregnancy.NOT_PREGNANT) or any(
        _pregnancy_potential(r) for r in (*conditions, *observations)
    )
    features = PatientFeatures(
        subtype=next(iter(subtypes)) if len(subtypes) == 1 else None,
        can_become_pregnant=potential,
        neuropathy=any(_neuropathy(c) for c in conditions),
        smoker=any(_smoker(o) for o in observations),
        thrombosis_risk=bool(thromboses),
        daily_dose_mg=thalidomide.dose.mg if thalidomide else None,
        months_on_thalidomide=thalidomide.months if thalidomide else None,
    )
    concepts = [_medication_concept(m) for m in taken]
    return Reading(
        features=features,
        why_no_subtype=why,
        lupus_on_record=lupus,
        antimalarials=tuple(
            drug.name for drug in ANTIMALARIALS
            if any(_has_code(c, RXNORM, drug.rxnorm) or _texts_match(c, drug.text) for c in concepts)
        ),
        pregnancy=pregnancy,
        thromboses=thromboses,
        thalidomide=thalidomide,
    )


def thalidomide_ordered(context, hook: str = "order-select") -> bool:
    """Whether an order hook's request orders thalidomide: among order-select's selections, or anywhere in
    order-sign's draft orders."""
    return any(_thalidomide_orders(context, hook))


def ordered_daily_dose(context, hook: str = "order-select") -> OrderedDose:
    """The daily dose of the one thalidomide order, read only where it is unambiguous: a single dosage
    instruction with one dose quantity in mg or g (UCUM) and a timing of a whole number of doses a day."""
    orders = list(_thalidomide_orders(context, hook))
    if len(orders) != 1:
        where = "selections" if hook == "order-select" else "draft orders"
        return OrderedDose(None, f"The {where} do not hold exactly one thalidomide order.")
    return _daily_dose(orders[0].get("dosageInstruction"))


# --- helpers ----------------------------------------------------------------------------


def _thalidomide_orders(context, hook: str) -> Iterator[dict]:
    """The thalidomide MedicationRequests an order hook orders: order-select's selected draft orders, or every
    draft order of order-sign (whose context has no selections)."""
    if not isinstance(context, dict) or hook not in ORDER_HOOKS:
        return
    selections = {s for s in _list(context.get("selections")) if isinstance(s, str)}
    for order in _resources([context.get("draftOrders")]):
        if order.get("resourceType") != "MedicationRequest" or not _is_thalidomide(_medication_concept(order)):
            continue
        # An id that is not a string names nothing: 7 must not answer to the selection ".../7".
        reference = f"MedicationRequest/{order['id']}" if isinstance(order.get("id"), str) else None
        if hook == "order-sign" or reference in selections:
            yield order


def _is_thalidomide(concept) -> bool:
    return _has_code(concept, RXNORM, THALIDOMIDE_RXNORM) or _texts_match(concept, THALIDOMIDE_TEXT)


def _taken_thalidomide(prescribed: list[dict], today: date | None) -> TakenThalidomide | None:
    """Thalidomide being taken, from the thalidomide medications on record that were taken or prescribed."""
    active = [m for m in prescribed if _string(m.get("status")) in BEING_TAKEN]
    if not active:
        return None
    starts = [d for m in prescribed for d in _starts(m)]
    since = min(starts, default=None)
    months = _whole_months(since, today) if since and today else None
    if months is not None and not 0 <= months <= feature_named("months_on_thalidomide").maximum:
        months = None
    dose = _daily_dose(_dosages(active[0])) if len(active) == 1 else OrderedDose(None, "More than one is active.")
    return TakenThalidomide(since, months, dose)


def _starts(medication: dict) -> Iterator[date]:
    """When a prescription or statement says the medication started."""
    period = _dict(medication.get("effectivePeriod"))
    bounds = [_dict(_dict(_dict(d).get("timing")).get("repeat")).get("boundsPeriod") for d in _dosages(medication)]
    written = [period.get("start"), medication.get("effectiveDateTime"), *(_dict(b).get("start") for b in bounds)]
    written = [w for w in written if isinstance(w, str)] or [medication.get("authoredOn")]
    for text in written:
        if parsed := _date(text):
            yield parsed


def _date(text) -> date | None:
    """The date of a FHIR date or dateTime given to the day, or None."""
    match = ISO_DATE.match(text) if isinstance(text, str) else None
    try:
        return date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None


def _whole_months(since: date, today: date) -> int:
    months = (today.year - since.year) * 12 + today.month - since.month
    return months - 1 if today.day < since.day else months


def _dosages(medication: dict) -> list:
    """A MedicationRequest's dosageInstruction, or a MedicationStatement's dosage."""
    field = "dosageInstruction" if medication.get("resourceType") == "MedicationRequest" else "dosage"
    return _list(medication.get(field))


def _daily_dose(instructions) -> OrderedDose:
    instructions = _list(instructions)
    if len(instructions) != 1 or not isinstance(instructions[0], dict):
        return OrderedDose(None, "The order does not carry exactly one dosage instruction.")
    dosage = instructions[0]
    if any(dosage[key] is not False for key in AS_NEEDED if key in dosage):
        # True, a reason (a CodeableConcept, a list of them), or an odd value that may mean either.
        return OrderedDose(None, "The order is, or may be, taken as needed.")
    per_dose, per_day = _dose_mg(dosage), _doses_per_day(dosage.get("timing"))
    if per_dose is None:
        return OrderedDose(None, "Its dose is not one quantity in mg or g.")
    if per_day is None:
        return OrderedDose(None, "Its timing does not give a fixed whole number of doses every day.")
    daily, allowed = per_dose * per_day, feature_named("daily_dose_mg")
    if daily != daily.to_integral_value() or not allowed.minimum <= daily <= allowed.maximum:
        return OrderedDose(
            None, f"Its daily dose, {number(daily)} mg, is not a whole number from {number(allowed.minimum)} to "
            f"{number(allowed.maximum)} mg, the doses cledss places on the evidence."
        )
    return OrderedDose(int(daily))


def _dose_mg(dosage: dict) -> Decimal | None:
    """The one dose quantity of a dosage instruction in mg, or None (a range, a rate, another unit, a comparator)."""
    rates = _list(dosage.get("doseAndRate"))
    quantity = _dict(_dict(rates[0]).get("doseQuantity")) if len(rates) == 1 else {}
    value = quantity.get("value")
    unit = quantity.get("code") if "code" in quantity else quantity.get("unit")
    if unit not in MG_PER_UNIT or quantity.get("system", UCUM) != UCUM or "comparator" in quantity:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    # Exact for JSON's numbers: an int directly (str() refuses one of over 4,300 digits), a float as it
    # was written; NaN and the infinities stay not finite.
    amount = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    return amount * MG_PER_UNIT[unit] if amount.is_finite() and amount > 0 else None


def _doses_per_day(timing) -> int | None:
    """How many doses a day a timing gives: ``repeat`` with a whole ``frequency`` per 1 day, nothing that
    skips days or varies the count (dayOfWeek, frequencyMax, periodMax, count), else None."""
    repeat = _dict(_dict(timing).get("repeat"))
    frequency, period = repeat.get("frequency"), repeat.get("period")
    if set(repeat) - DAILY_TIMING_KEYS or repeat.get("periodUnit") != "d" or isinstance(period, bool) or period != 1:
        return None
    if isinstance(frequency, bool) or not isinstance(frequency, int) or frequency < 1:
        return None
    return frequency


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _string(value) -> str:
    return value if isinstance(value, str) else ""


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _resources(values: Iterable) -> Iterator[dict]:
    """Resources from prefetch values: single resources and the entries of Bundles."""
    for value in values:
        if not isinstance(value, dict):
            continue
        if value.get("resourceType") == "Bundle":
            for entry in _list(value.get("entry")):
                resource = _dict(entry).get("resource") if isinstance(entry, dict) else None
                if isinstance(resource, dict) and isinstance(resource.get("resourceType"), str):
                    yield resource
        elif isinstance(value.get("resourceType"), str):
            yield value


def _codes(concept) -> Iterator[tuple[str, str, str]]:
    for coding in _list(_dict(concept).get("coding")):
        coding = _dict(coding)
        yield _string(coding.get("system")), _string(coding.get("code")), _string(coding.get("display"))


def _texts(concept) -> list[str]:
    concept = _dict(concept)
    texts = [concept["text"]] if isinstance(concept.get("text"), str) else []
    return texts + [display for _, _, display in _codes(concept) if display]


def _texts_match(concept, pattern: re.Pattern) -> bool:
    return any(pattern.search(t) and not NEGATED.search(t) for t in _texts(concept))


def _has_code(concept, system: str, codes) -> bool:
    return any(s == system and c in codes for s, c, _ in _codes(concept))


def _current(resource: dict) -> bool:
    """Not resolved, refuted or entered in error (a missing status counts as current)."""
    statuses = [resource.get("status")]
    for field in ("clinicalStatus", "verificationStatus"):
        statuses.extend(code for _, code, _ in _codes(resource.get(field)))
    return not any(isinstance(s, str) and s in INACTIVE_STATUSES for s in statuses)


def _subtype(condition: dict) -> Subtype | None:
    concept = condition.get("code")
    for system, code, _ in _codes(concept):
        if system == SNOMED and code in SUBTYPE_CODES:
            return SUBTYPE_CODES[code]
    for text in _texts(concept):
        if NEGATED.search(text):
            continue
        if LUPUS_TEXT.search(text) or re.search(r"\b(scle|acle|dle)\b", text, re.I):
            for pattern, subtype in SUBTYPE_TEXT:
                if pattern.search(text):
                    return subtype
    return None


def _is_lupus(condition: dict) -> bool:
    concept = condition.get("code")
    return _has_code(concept, SNOMED, LUPUS_WITHOUT_SUBTYPE_CODES) or any(LUPUS_TEXT.search(t) for t in _texts(concept))


def _pregnancy(conditions: list[dict], observations: list[dict]) -> PregnancyRecord:
    """The latest pregnancy status (the more serious of two on one date), unless a current condition is a
    pregnancy."""
    if any(_has_code(c.get("code"), SNOMED, {PREGNANT}) for c in conditions):
        return PregnancyRecord(Pregnancy.PREGNANT, "a current condition, SNOMED CT 77386006")
    statuses = [
        (_when(o), _pregnancy_status(o)) for o in observations if _has_code(o.get("code"), LOINC, {PREGNANCY_STATUS})
    ]
    answers = [(when, status.rank, status) for when, status in statuses if status != Pregnancy.NOT_RECORDED]
    if not answers:
        return PregnancyRecord()
    return PregnancyRecord(max(answers)[2], "pregnancy status, LOINC 82810-3")


def _pregnancy_status(observation: dict) -> Pregnancy:
    value = observation.get("valueCodeableConcept")
    for system, code, _ in _codes(value):
        if (system, code) in PREGNANCY_STATUS_ANSWERS:
            return PREGNANCY_STATUS_ANSWERS[system, code]
    for text in _texts(value):
        for pattern, status in PREGNANCY_STATUS_TEXT:
            if pattern.search(text):
                return status
    return Pregnancy.NOT_RECORDED


def _when(observation: dict) -> str:
    """When an observation was made, as written (ISO 8601 text sorts by date); '' when it does not say."""
    for written in (observation.get("effectiveDateTime"), _dict(observation.get("effectivePeriod")).get("start"),
                    observation.get("effectiveInstant"), observation.get("issued")):
        if isinstance(written, str) and ISO_DATE.match(written):
            return written
    return ""


def _pregnancy_potential(resource: dict) -> bool:
    """A pregnancy intention answered (anything but unknown), or a current condition that names pregnancy
    potential."""
    if resource.get("resourceType") == "Observation":
        return _has_code(resource.get("code"), LOINC, {PREGNANCY_INTENTION}) and _intention_answered(resource)
    return _texts_match(resource.get("code"), PREGNANCY_TEXT)


def _intention_answered(observation: dict) -> bool:
    value = observation.get("valueCodeableConcept")
    if any((system, code) in PREGNANCY_INTENTION_ANSWERS for system, code, _ in _codes(value)):
        return True
    written = [*_texts(value), *[v for v in [observation.get("valueString")] if isinstance(v, str)]]
    unknown = _has_code(value, NULL_FLAVOR, {"UNK"}) or any(UNKNOWN_TEXT.search(t) for t in written)
    return not unknown and _answered(observation)


def _answered(observation: dict) -> bool:
    """Whether an Observation carries a value[x] of its kind's JSON type; a null, an empty or a misshapen
    value (a string for a CodeableConcept, true for an integer) answers nothing."""
    for key, value in observation.items():
        kind = PRIMITIVE_VALUES.get(key, dict)
        # bool is an int to Python, not to JSON: true is no valueInteger, 1 no valueBoolean.
        if key.startswith("value") and isinstance(value, kind) and isinstance(value, bool) == (kind is bool):
            if value != "" and value != {}:
                return True
    return False


def _neuropathy(condition: dict) -> bool:
    concept = condition.get("code")
    return _has_code(concept, SNOMED, NEUROPATHY_CODES) or _texts_match(concept, NEUROPATHY_TEXT)


def _smoker(observation: dict) -> bool:
    if not _has_code(observation.get("code"), LOINC, {SMOKING_STATUS}):
        return False
    value = observation.get("valueCodeableConcept")
    return _has_code(value, SNOMED, CURRENT_SMOKER_CODES) or any(
        SMOKER_TEXT.search(t) and not NEGATED.search(t) for t in _texts(value)
    )


def _thromboses(condition: dict) -> list[str]:
    """The thromboses a condition names: each coded one as the value sets name it, with its code; else its own
    words when they name one."""
    concept = condition.get("code")
    named = []
    for system, code, _ in _codes(concept):
        if system == SNOMED and code in THROMBOSIS_SNOMED:
            named.append(f"{THROMBOSIS_SNOMED[code]} (SNOMED CT {code})")
        elif system == ICD10CM and (category := _icd10cm_category(code)):
            named.append(f"{THROMBOSIS_ICD10CM[category]} (ICD-10-CM {code})")
    if not named and _texts_match(concept, THROMBOSIS_TEXT):
        named.append(next(t for t in _texts(concept) if THROMBOSIS_TEXT.search(t)))
    return named


def _icd10cm_category(code: str) -> str | None:
    """The value set's category an ICD-10-CM code falls in, dots or none (I26.99, I2699)."""
    bare = code.replace(".", "").upper()
    return next((c for c in THROMBOSIS_ICD10CM if bare.startswith(c.replace(".", ""))), None)


def _medication_concept(resource: dict):
    """The medication of an R4 (medicationCodeableConcept) or R5 (medication.concept) resource."""
    if isinstance(resource.get("medicationCodeableConcept"), dict):
        return resource["medicationCodeableConcept"]
    return _dict(_dict(resource.get("medication")).get("concept"))
