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
independent FHIR code bases. Antiphospholipid syndrome: SNOMED CT 26843008, seen with its
fully specified name in two independent FHIR value sets. Pregnancy: LOINC 82810-3 "Pregnancy
status" with the value SNOMED CT 77386006 "Pregnant" (or LOINC answer LA15173-0), or a current
Condition coded 77386006; LOINC 86645-9 "Pregnancy intention", whatever its answer, says the
record treats the patient as able to become pregnant. Peripheral neuropathy: SNOMED CT 42345000
(polyneuropathy), 7339009 (drug-induced) and 13694005 (sensory), or narrow text. Thrombosis and
pregnancy potential written as text are matched on CodeableConcept.text and Coding.display;
negated phrases are skipped. Thalidomide is read from RxNorm's ingredient code 10432 or from
its name in the text.

Antimalarials: a MedicationRequest (US Core) or MedicationStatement for hydroxychloroquine,
by RxNorm code (the ingredient 5521 and its products, as listed in the VSAC value set
2.16.840.1.113762.1.4.1032.127 "C19HCC Hydroxychloroquine", MITRE, 2020-04-17) or by name;
chloroquine and quinacrine (mepacrine) by name only, no code for them having been verified here.
Whatever its status (active, stopped, completed), a prescription shows the drug was tried; it
never says whether the CLE resisted it, so the antimalarial history (the form's refractory,
intolerant, ...) is never read from a record: it stays unknown and the cards ask for it.

The ordered daily dose (order-select only) is read from the selected thalidomide
MedicationRequest when it is unambiguous: one ``dosageInstruction`` whose one
``doseAndRate.doseQuantity`` is in mg (UCUM code ``mg``, or unit ``mg`` without a code) and whose
``timing.repeat`` gives a whole ``frequency`` per ``period`` 1 ``periodUnit`` ``d`` (twice a day
doubles the dose). Anything else (a range, as needed, days of the week, a rate) is reported as
unread, with the reason, rather than guessed; an as-needed field (R4 ``asNeededBoolean`` or
``asNeededCodeableConcept``, R5 ``asNeeded`` or ``asNeededFor``) that is anything but ``false``
counts as as needed.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from cledss.clinical.features import PatientFeatures, Subtype, feature_named
from cledss.clinical.stats import number

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"

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
ANTIPHOSPHOLIPID_SYNDROME = "26843008"  # Antiphospholipid syndrome (disorder)
PREGNANCY_STATUS = "82810-3"  # LOINC: Pregnancy status
PREGNANCY_INTENTION = "86645-9"  # LOINC: Pregnancy intention
PREGNANT = "77386006"  # SNOMED CT: Pregnant (finding)
PREGNANT_ANSWER = "LA15173-0"  # LOINC answer: Pregnant
NEUROPATHY_CODES = {
    "42345000",  # Polyneuropathy (disorder)
    "7339009",  # Drug-induced peripheral neuropathy
    "13694005",  # Sensory neuropathy
}
# The Observation codes cledss reads; its prefetch asks for these only.
OBSERVATION_CODES = ((LOINC, SMOKING_STATUS), (LOINC, PREGNANCY_STATUS), (LOINC, PREGNANCY_INTENTION))

NEGATED = re.compile(r"\b(no|not|non|never|ex|former|denies|without|negative|absent|unable|cannot|post-?menopausal)\b", re.I)
NEUROPATHY_TEXT = re.compile(r"(?<!optic )neuropath", re.I)
THROMBOSIS_TEXT = re.compile(r"thrombos|thrombus|emboli|antiphospholipid", re.I)  # not thrombocytopenia
PREGNANCY_TEXT = re.compile(r"pregnan|child-?bearing|reproductive potential", re.I)
PREGNANT_TEXT = re.compile(r"^\s*pregnant\b", re.I)
SMOKER_TEXT = re.compile(r"^\s*(current|heavy|light|occasional|daily)\b.*smok|^\s*smoker\s*$|^\s*smokes\b", re.I)
THALIDOMIDE_TEXT = re.compile(r"\bthalidomide\b", re.I)
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
THALIDOMIDE_RXNORM = {"10432"}  # the ingredient
UCUM = "http://unitsofmeasure.org"
# A timing repeat read as "every day": these keys only (when and time of day do not change the count).
DAILY_TIMING_KEYS = {"frequency", "period", "periodUnit", "when", "timeOfDay", "boundsPeriod", "boundsDuration"}
INACTIVE_STATUSES = {"inactive", "resolved", "remission", "refuted", "entered-in-error", "cancelled", "amended-in-error"}
# A medication with one of these statuses was never taken: ordered in error, cancelled before use, a draft.
NEVER_TAKEN = {"entered-in-error", "cancelled", "draft", "not-taken"}
# A dosage is taken as needed when any of these says so: R4's two, R5's two.
AS_NEEDED = ("asNeededBoolean", "asNeededCodeableConcept", "asNeeded", "asNeededFor")
# Observation.value[x]: the kinds that are JSON strings, booleans or integers; every other kind
# (Quantity, CodeableConcept, Range, Period, ...) is an object.
PRIMITIVE_VALUES = {
    "valueString": str, "valueTime": str, "valueDateTime": str, "valueBoolean": bool, "valueInteger": int,
}


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
class Reading:
    """What could be read: the features (a subtype the record does not say, and the antimalarial history,
    stay unknown, None), why no subtype could be read, and what else was seen on the way: the antimalarials
    the record shows were prescribed or taken, and whether it records a current pregnancy."""

    features: PatientFeatures
    why_no_subtype: str
    lupus_on_record: bool
    antimalarials: tuple[str, ...] = ()
    pregnant: bool = False


@dataclass(frozen=True)
class OrderedDose:
    """The daily dose of the selected thalidomide order in mg, or why it could not be read."""

    mg: int | None
    why_unread: str = ""


def read_patient(prefetch) -> Reading:
    """Features from a CDS Hooks ``prefetch`` object (each value a resource or a Bundle)."""
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
    pregnant = any(_pregnant(r) for r in (*conditions, *observations))
    features = PatientFeatures(
        subtype=next(iter(subtypes)) if len(subtypes) == 1 else None,
        can_become_pregnant=pregnant or any(_pregnancy_potential(r) for r in (*conditions, *observations)),
        neuropathy=any(_neuropathy(c) for c in conditions),
        smoker=any(_smoker(o) for o in observations),
        thrombosis_risk=any(_thrombosis(c) for c in conditions),
    )
    # A status that is not a string is unread, as if absent: the prescription still shows the drug.
    taken = [_medication_concept(m) for m in medications if _string(m.get("status")) not in NEVER_TAKEN]
    return Reading(
        features=features,
        why_no_subtype=why,
        lupus_on_record=lupus,
        antimalarials=tuple(
            drug.name for drug in ANTIMALARIALS
            if any(_has_code(c, RXNORM, drug.rxnorm) or _texts_match(c, drug.text) for c in taken)
        ),
        pregnant=pregnant,
    )


def selected_thalidomide(context) -> bool:
    """Whether an order-select request's selections include a thalidomide MedicationRequest."""
    return any(_selected_thalidomide_orders(context))


def ordered_daily_dose(context) -> OrderedDose:
    """The daily dose of the one selected thalidomide order, read only where it is unambiguous: a single
    dosage instruction with one dose quantity in mg (UCUM) and a timing of a whole number of doses a day."""
    orders = list(_selected_thalidomide_orders(context))
    if len(orders) != 1:
        return OrderedDose(None, "The selections do not hold exactly one thalidomide order.")
    instructions = _list(orders[0].get("dosageInstruction"))
    if len(instructions) != 1 or not isinstance(instructions[0], dict):
        return OrderedDose(None, "The order does not carry exactly one dosage instruction.")
    dosage = instructions[0]
    if any(dosage[key] is not False for key in AS_NEEDED if key in dosage):
        # True, a reason (a CodeableConcept, a list of them), or an odd value that may mean either.
        return OrderedDose(None, "The order is, or may be, taken as needed.")
    per_dose, per_day = _dose_mg(dosage), _doses_per_day(dosage.get("timing"))
    if per_dose is None:
        return OrderedDose(None, "Its dose is not one quantity in mg.")
    if per_day is None:
        return OrderedDose(None, "Its timing does not give a fixed whole number of doses every day.")
    daily, allowed = per_dose * per_day, feature_named("daily_dose_mg")
    if daily != daily.to_integral_value() or not allowed.minimum <= daily <= allowed.maximum:
        return OrderedDose(
            None, f"Its daily dose, {number(daily)} mg, is not a whole number from {number(allowed.minimum)} to "
            f"{number(allowed.maximum)} mg, the doses cledss places on the evidence."
        )
    return OrderedDose(int(daily))


# --- helpers ----------------------------------------------------------------------------


def _selected_thalidomide_orders(context) -> Iterator[dict]:
    """The thalidomide MedicationRequests among an order-select request's selections."""
    if not isinstance(context, dict):
        return
    selections = {s for s in _list(context.get("selections")) if isinstance(s, str)}
    for order in _resources([context.get("draftOrders")]):
        # An id that is not a string names nothing: 7 must not answer to the selection ".../7".
        reference = f"{order['resourceType']}/{order['id']}" if isinstance(order.get("id"), str) else None
        concept = _medication_concept(order)
        if reference in selections and (
            _has_code(concept, RXNORM, THALIDOMIDE_RXNORM) or _texts_match(concept, THALIDOMIDE_TEXT)
        ):
            yield order


def _dose_mg(dosage: dict) -> Decimal | None:
    """The one dose quantity of a dosage instruction in mg, or None (a range, a rate, another unit, a comparator)."""
    rates = _list(dosage.get("doseAndRate"))
    quantity = _dict(_dict(rates[0]).get("doseQuantity")) if len(rates) == 1 else {}
    value = quantity.get("value")
    in_mg = quantity.get("code") == "mg" if "code" in quantity else quantity.get("unit") == "mg"
    if not in_mg or quantity.get("system", UCUM) != UCUM or "comparator" in quantity:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    # Exact for JSON's numbers: an int directly (str() refuses one of over 4,300 digits), a float as it
    # was written; NaN and the infinities stay not finite.
    amount = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    return amount if amount.is_finite() and amount > 0 else None


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


def _pregnant(resource: dict) -> bool:
    """A current pregnancy: a pregnancy status observation whose value is pregnant, or a Condition coded so."""
    if resource.get("resourceType") == "Condition":
        return _has_code(resource.get("code"), SNOMED, {PREGNANT})
    if not _has_code(resource.get("code"), LOINC, {PREGNANCY_STATUS}):
        return False
    value = resource.get("valueCodeableConcept")
    return (
        _has_code(value, SNOMED, {PREGNANT})
        or _has_code(value, LOINC, {PREGNANT_ANSWER})
        or any(PREGNANT_TEXT.search(t) and not NEGATED.search(t) for t in _texts(value))
    )


def _pregnancy_potential(resource: dict) -> bool:
    """A pregnancy-intention answer of any kind, or a current Condition that names pregnancy potential."""
    if resource.get("resourceType") == "Observation":
        return _has_code(resource.get("code"), LOINC, {PREGNANCY_INTENTION}) and _answered(resource)
    return _texts_match(resource.get("code"), PREGNANCY_TEXT)


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


def _thrombosis(condition: dict) -> bool:
    concept = condition.get("code")
    return _has_code(concept, SNOMED, {ANTIPHOSPHOLIPID_SYNDROME}) or _texts_match(concept, THROMBOSIS_TEXT)


def _medication_concept(resource: dict):
    """The medication of an R4 (medicationCodeableConcept) or R5 (medication.concept) resource."""
    if isinstance(resource.get("medicationCodeableConcept"), dict):
        return resource["medicationCodeableConcept"]
    return _dict(_dict(resource.get("medication")).get("concept"))
