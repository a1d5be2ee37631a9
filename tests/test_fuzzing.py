"""Fuzzing: whatever a client sends, cledss answers without a server error and the evidence stays as it was.

Hypothesis throws query strings, form bodies, JSON and bytes at the form, the result page, the
PDF, the JSON API, the CDS Hooks service and its feedback endpoint, in both languages; at the CDS
Hooks endpoints also well-formed requests with parts of the wrong JSON type, bodies nested
thousands of levels deep, and tokens with odd headers and claims. Every request must get a
status below 500, and after every request every evidence row (drafts and history included) and
every recorded evidence version must be exactly as before.

``make test`` runs the ``ci`` profile (100 examples a test, derandomized); ``make fuzz`` runs the
``fuzz`` profile (1,500 a test, random; valid PDFs, which render, a twentieth of that) and ends
with the number of examples each test ran. Profiles are in ``tests/hypothesis_profiles.py``.
"""

import base64
import hashlib
import json
import time
import uuid
from collections import Counter
from functools import reduce
from urllib.parse import quote_from_bytes, quote_plus, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cledss.clinical.features import AntimalarialStatus, Subtype
from cledss.evidence.models import EvidenceVersion, Finding, Study
from cledss.interop.cds_hooks import card_ids, clients
from cledss.interop.cds_hooks.rules import KINDS, OVERRIDE_REASONS_SYSTEM
from cledss.interop.cds_hooks.services import SERVICES
from cledss.interop.cds_hooks.views import MAX_DEPTH
from cledss.interop.fhir_reading import (
    ANTIMALARIALS,
    CURRENT_SMOKER_CODES,
    LOINC,
    LUPUS_WITHOUT_SUBTYPE_CODES,
    NEUROPATHY_CODES,
    PREGNANCY_INTENTION,
    PREGNANCY_STATUS,
    PREGNANT,
    RXNORM,
    SMOKING_STATUS,
    SNOMED,
    SUBTYPE_CODES,
    THALIDOMIDE_RXNORM,
)
from cledss.web.pdf import PAPER_SIZES
from tests.support import RegisteredEhr, draft_finding, registered_as

# Examples each fuzzing test has run, for the summary at the end of `make fuzz` (see conftest).
EXAMPLES_RUN: Counter = Counter()

# Django refuses a body larger than this (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MiB by default).
UPLOAD_LIMIT = 2_621_440

# Each test shares one seeded database across its examples, which Hypothesis warns about for
# function-scoped fixtures. That is sound here: the requests must not change the evidence, and
# the property checks exactly that after every example. Card feedback rows that pile up are
# not evidence, and the test's transaction is rolled back at its end.
fuzz_settings = settings(suppress_health_check=[*settings.default.suppress_health_check, HealthCheck.function_scoped_fixture])


def evidence_fingerprint() -> str:
    """Every study and finding row (drafts included), their history and every evidence version, hashed."""
    rows = [
        list(Study.objects.order_by("pk").values()),
        list(Finding.objects.order_by("pk").values()),
        list(EvidenceVersion.objects.order_by("pk").values()),
        Study.history.count(),
        Finding.history.count(),
    ]
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


class Fuzzer:
    """Sends one request per example and checks the property: no 5xx, and the evidence untouched."""

    def __init__(self, name: str):
        self.name = name
        self.evidence = evidence_fingerprint()

    def send(self, method: str, path: str, query: str = "", body: bytes = b"", content_type: str = "", *,
             follow: bool = False, **headers):
        """The answer to one request; with ``follow``, to the request a redirect asks for next, as a browser
        would make it (a page's URL with parameters that are not features redirects to the features alone)."""
        EXAMPLES_RUN[self.name] += 1
        # QUERY_STRING is passed as a WSGI server would: the raw bytes, decoded as Latin-1.
        extra = {"QUERY_STRING": query, **headers}
        if body:
            extra["CONTENT_TYPE"] = content_type
        # A fresh client per example, so no cookie carries over from one example to the next.
        client = Client()
        response = client.generic(method, path, body, **extra)
        if follow and response.status_code == 302:
            event("redirected to the features alone")
            target = urlsplit(response["Location"])
            response = client.generic("GET", target.path, QUERY_STRING=target.query, **headers)
        event(f"status {response.status_code}")
        assert response.status_code < 500, (method, path, response.status_code)
        assert evidence_fingerprint() == self.evidence, "a request changed the evidence base"
        return response


def test_the_evidence_fingerprint_notices_a_change_even_to_a_draft(seeded):
    draft = draft_finding()
    before = evidence_fingerprint()
    Finding.objects.filter(pk=draft.pk).update(estimate="28")
    assert evidence_fingerprint() != before


@pytest.fixture
def fuzzer(request, seeded):
    """The seed evidence, plus a draft finding, as a curated database holds both."""
    draft_finding()
    return Fuzzer(request.node.name)


# --- strategies -----------------------------------------------------------------------------

# Any code point, lone surrogates included (Hypothesis leaves them out unless asked).
any_char = st.characters(exclude_categories=())
any_text = st.text(any_char, max_size=40)
latin1_text = st.text(st.characters(max_codepoint=255), max_size=80)


def utf8(text: str) -> bytes:
    """Text as bytes, lone surrogates kept as a careless client would send them."""
    return text.encode("utf-8", "surrogatepass")


def huge(alphabet=any_char) -> st.SearchStrategy[str]:
    """One character repeated into a long value, cheaply (Hypothesis would not build 20 kB itself)."""
    return st.builds(lambda char, n: char * n, alphabet, st.integers(1_000, 20_000))


CHECKBOXES = ["can_become_pregnant", "neuropathy", "smoker", "thrombosis_risk"]
# The optional numbers, each with values at and inside its bounds; empty is unknown. The SNAP amplitudes go
# together or not at all.
NUMBERS = {
    "daily_dose_mg": ["", "1", "20", "25", "50", "60", "150", "400", " 75 ", "100.0"],
    "months_on_thalidomide": ["", "0", "5", "6", "8", "240"],
}
SNAP = ["snap_baseline_uv", "snap_now_uv"]
SNAP_VALUES = ["0.01", "8", "8.5", "12.35", "20", "100", "100.00", "1e1"]
VALID_VALUES = {
    "subtype": [s.value for s in Subtype],
    "antimalarial_status": [s.value for s in AntimalarialStatus],
    **{name: ["", "on", "true", "false", "1", "0", "ON", "True"] for name in CHECKBOXES},
    **NUMBERS,
    **{name: ["", *SNAP_VALUES] for name in SNAP},
    "paper": list(PAPER_SIZES),
}
FIELD_NAMES = list(VALID_VALUES)

field_names = st.one_of(
    st.sampled_from(FIELD_NAMES),
    st.sampled_from(FIELD_NAMES).map(str.upper),
    st.sampled_from(FIELD_NAMES).map(lambda name: f"{name}[]"),
    any_text,
)
field_values = st.one_of(
    st.sampled_from(sorted({v for values in VALID_VALUES.values() for v in values})),
    st.sampled_from(["", " ", "null", "None", "[]", "{}", "-1", "2", "yes", "off", "a4 ", "A4", "scle\x00", "ｓｃｌｅ"]),
    st.sampled_from(["0", "401", "10000", "abc", "1e2", "nan", "NaN", "Infinity", "-0", "25.5", "0.001", "٣٠",
                     "1_000", "0x20", "9" * 400, "1e999999", "100.001", "+50", "50 mg"]),
    any_text,
    huge(),
)


@st.composite
def valid_fields(draw) -> list[tuple[str, str]]:
    """A patient the form accepts: both required fields and any of the checkboxes."""
    pairs = [
        ("subtype", draw(st.sampled_from(VALID_VALUES["subtype"]))),
        ("antimalarial_status", draw(st.sampled_from(VALID_VALUES["antimalarial_status"]))),
    ]
    for name in [*CHECKBOXES, *NUMBERS]:
        value = draw(st.none() | st.sampled_from(VALID_VALUES[name]))
        if value is not None:
            pairs.append((name, value))
    if draw(st.booleans()):
        pairs += [(name, draw(st.sampled_from(SNAP_VALUES))) for name in SNAP]
    return draw(st.permutations(pairs))


# Mixtures of good and bad values for the real field names: a valid patient alone, a valid patient
# with extra, repeated or broken fields, and any fields at all.
field_mixtures = st.one_of(
    valid_fields(),
    st.tuples(valid_fields(), st.lists(st.tuples(field_names, field_values), min_size=1, max_size=4)).map(
        lambda parts: parts[0] + parts[1]
    ),
    st.lists(st.tuples(field_names, field_values), max_size=10),
)


def form_encoded(pairs) -> str:
    return "&".join(f"{quote_plus(utf8(name))}={quote_plus(utf8(value))}" for name, value in pairs)


# Query strings as they reach the app: raw bytes, percent-encoded bytes, separators and broken
# escapes, huge values and more fields than Django accepts (a 400); none of them a valid patient.
raw_queries = st.one_of(
    st.binary(max_size=200).map(lambda raw: raw.decode("latin-1")),
    st.binary(max_size=200).map(lambda raw: quote_from_bytes(raw, safe="=&")),
    st.text(st.sampled_from("=&;%+#?[]./\\ \t\x00aAfF09zsubtype"), max_size=60),
    st.text(any_char, max_size=60).map(lambda text: utf8(text).decode("latin-1")),
    huge().map(lambda value: form_encoded([("subtype", value), ("antimalarial_status", "refractory")])),
    st.integers(990, 1_100).map(lambda n: "&".join(f"p{i}=1" for i in range(n))),
)
queries = st.one_of(raw_queries, field_mixtures.map(form_encoded))

ACCEPT_LANGUAGES = ["es", "es-ES,es;q=0.9,en;q=0.8", "en-GB", "*", "fr", "es;q=0", "es;q=abc", "zh-Hant-TW", ",,;;", "es-419"]


@st.composite
def language_headers(draw) -> dict:
    """Accept-Language and the language cookie, realistic or arbitrary (both arrive as Latin-1)."""
    headers = {}
    accept = draw(st.none() | st.sampled_from(ACCEPT_LANGUAGES) | latin1_text | huge(st.sampled_from("es,;q=0.9-")))
    if accept is not None:
        headers["HTTP_ACCEPT_LANGUAGE"] = accept
    cookie = draw(st.none() | st.sampled_from(["es", "en", "xx", ""]) | latin1_text)
    if cookie is not None:
        headers["HTTP_COOKIE"] = f"django_language={cookie}"
    return headers


PAGES = ["/", "/result/", "/result", "/es/", "/es", "/es/result/", "/fr/result/", "/result/handout/", "/es/result/handout/"]
MACHINE_ENDPOINTS = ["/api/assessment", "/api/assessment/", "/api/openapi.json", "/cds-services", "/fhir/Bundle/evidence"]

# JSON as a careless or hostile client might send it; non-finite floats too, which Python's json
# module writes and reads as NaN and Infinity.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4),
    max_leaves=20,
)


def json_bytes(value) -> bytes:
    return json.dumps(value).encode()


# --- FHIR resources for the CDS Hooks service, close enough to real ones to reach the cards ----

KNOWN_CODES = [*SUBTYPE_CODES, *LUPUS_WITHOUT_SUBTYPE_CODES, *CURRENT_SMOKER_CODES, *NEUROPATHY_CODES, SMOKING_STATUS]
KNOWN_CODES += [PREGNANCY_STATUS, PREGNANCY_INTENTION, PREGNANT, *THALIDOMIDE_RXNORM, *sorted(ANTIMALARIALS[0].rxnorm)[:3]]
KNOWN_TEXTS = [
    "Subacute cutaneous lupus erythematosus", "discoid lupus", "lupus", "no lupus", "peripheral neuropathy",
    "deep vein thrombosis", "antiphospholipid antibodies", "positive", "of reproductive potential", "current smoker",
    "thalidomide 100 mg", "Hydroxychloroquine 200 mg", "Pregnant", "chloroquine",
]
codings = st.fixed_dictionaries(
    {},
    optional={
        "system": st.one_of(st.sampled_from([SNOMED, LOINC, RXNORM]), json_values),
        "code": st.one_of(st.sampled_from(KNOWN_CODES), json_values),
        "display": st.one_of(st.sampled_from(KNOWN_TEXTS), json_values),
    },
)
concepts = st.fixed_dictionaries(
    {},
    optional={
        "coding": st.one_of(st.lists(codings, max_size=3), json_values),
        "text": st.one_of(st.sampled_from(KNOWN_TEXTS), any_text),
    },
)
statuses = st.fixed_dictionaries(
    {"coding": st.lists(st.fixed_dictionaries({"code": st.sampled_from(["active", "resolved", "refuted", "x"])}), max_size=2)}
)
conditions = st.fixed_dictionaries(
    {"resourceType": st.just("Condition"), "code": concepts}, optional={"clinicalStatus": statuses, "status": json_values}
)
observations = st.fixed_dictionaries(
    {"resourceType": st.just("Observation"), "code": concepts},
    optional={
        "valueCodeableConcept": concepts,
        "valueBoolean": json_values,
        "interpretation": st.lists(concepts, max_size=2),
        "status": st.sampled_from(["final", "entered-in-error"]),
    },
)
# Dosage instructions close to an order's: the dose reader must read them or say why not, never fail.
quantities = st.fixed_dictionaries(
    {},
    optional={
        "value": st.one_of(st.sampled_from([12.5, 50, 100, 200, 0, -50, 10**400, 1e308]), json_values),
        "unit": st.one_of(st.sampled_from(["mg", "g", "MG"]), json_values),
        "code": st.one_of(st.sampled_from(["mg", "g"]), json_values),
        "system": st.one_of(st.sampled_from(["http://unitsofmeasure.org", SNOMED]), json_values),
    },
)
repeats = st.fixed_dictionaries(
    {},
    optional={
        "frequency": st.one_of(st.sampled_from([1, 2, 3, 0, 10**400]), json_values),
        "period": st.one_of(st.sampled_from([1, 1.0, 2, 0.5]), json_values),
        "periodUnit": st.one_of(st.sampled_from(["d", "wk", "h"]), json_values),
        "dayOfWeek": st.lists(st.sampled_from(["mon", "wed"]), max_size=2),
    },
)
dosages = st.fixed_dictionaries(
    {},
    optional={
        "doseAndRate": st.one_of(st.lists(st.fixed_dictionaries({"doseQuantity": quantities}), max_size=2), json_values),
        "timing": st.one_of(st.fixed_dictionaries({"repeat": repeats}), json_values),
        "asNeededBoolean": json_values,
    },
)
medications = st.fixed_dictionaries(
    {"resourceType": st.sampled_from(["MedicationStatement", "MedicationRequest"]), "id": st.sampled_from(["a", "b"])},
    optional={
        "medicationCodeableConcept": concepts,
        "medication": st.fixed_dictionaries({"concept": concepts}),
        "status": st.one_of(st.sampled_from(["active", "stopped", "completed", "cancelled", "entered-in-error"]), json_values),
        "dosageInstruction": st.one_of(st.lists(dosages, max_size=2), json_values),
    },
)
resources = st.one_of(conditions, observations, medications)
bundles = st.fixed_dictionaries(
    {"resourceType": st.just("Bundle"), "entry": st.lists(st.one_of(st.fixed_dictionaries({"resource": resources}), json_values), max_size=4)}
)


def mostly(good: st.SearchStrategy, junk: st.SearchStrategy = json_values) -> st.SearchStrategy:
    """``good`` nine times in ten, otherwise ``junk`` (by default JSON of any shape)."""
    return st.sampled_from([True] * 9 + [False]).flatmap(lambda ok: good if ok else junk)


@st.composite
def hook_requests(draw, hook: str) -> dict:
    """A request for one hook, mostly well formed, any part of it possibly replaced by junk."""
    context = {"patientId": draw(mostly(st.text(max_size=10)))}
    if hook == "order-select" or draw(st.booleans()):
        context["selections"] = draw(mostly(st.lists(st.sampled_from(["MedicationRequest/a", "MedicationRequest/b"]), max_size=2)))
    if hook in ("order-select", "order-sign") or draw(st.booleans()):
        context["draftOrders"] = draw(mostly(bundles))
    body = {
        "hook": draw(mostly(st.just(hook))),
        "hookInstance": draw(mostly(st.uuids().map(str))),
        "context": draw(mostly(st.just(context))),
    }
    prefetch_keys = mostly(st.sampled_from(["conditions", "observations", "medicationRequests", "medications"]), any_text)
    prefetch = draw(st.none() | mostly(st.dictionaries(prefetch_keys, mostly(resources | bundles), max_size=4)))
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


# Every reason some card offers; a card's uuid, below, is one cledss issued for some kind of card or any uuid at all.
OVERRIDE_REASONS = [reason for planned in KINDS.values() for reason in planned.override_reasons]
override_reasons = st.sampled_from(OVERRIDE_REASONS) | st.fixed_dictionaries(
    {}, optional={"system": mostly(st.just(OVERRIDE_REASONS_SYSTEM)), "code": mostly(any_text), "display": any_text}
)
issued_cards = st.sampled_from(sorted(KINDS)).map(lambda kind: card_ids.issue(kind, django_settings.SECRET_KEY))
feedback_items = st.fixed_dictionaries(
    {"card": mostly(issued_cards | st.uuids().map(str)), "outcome": mostly(st.sampled_from(["accepted", "overridden"]))},
    optional={
        "overrideReason": mostly(
            st.fixed_dictionaries({"reason": mostly(override_reasons)}, optional={"userComment": mostly(any_text)})
        ),
        "outcomeTimestamp": any_text,
    },
)
feedback_requests = st.fixed_dictionaries({"feedback": mostly(st.lists(mostly(feedback_items), min_size=1, max_size=3))})


CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "application/fhir+json", "text/plain", ""]
CONTENT_TYPES += ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin-1"]

# Bodies for the machine endpoints: JSON of any shape, plain bytes, and one just over Django's limit (a 413).
json_bodies = st.one_of(
    json_values.map(json_bytes),
    st.binary(max_size=300),
    st.text(any_char, max_size=100).map(utf8),
    st.integers(UPLOAD_LIMIT + 1, UPLOAD_LIMIT + 100).map(lambda n: b'{"hook": "' + b"x" * n + b'"}'),
)
service_ids = mostly(st.sampled_from(sorted(SERVICES)), st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True))
methods = mostly(st.just("POST"), st.sampled_from(["GET", "PUT", "DELETE", "OPTIONS", "HEAD"]))
content_types = mostly(st.just("application/json"), st.sampled_from(CONTENT_TYPES))


@st.composite
def cds_service_calls(draw) -> tuple[str, str, bytes]:
    """A method, a service id and a body: mostly a request for that service's own hook."""
    service_id = draw(service_ids)
    hook = SERVICES[service_id].hook if service_id in SERVICES else "patient-view"
    return draw(methods), service_id, draw(mostly(hook_requests(hook).map(json_bytes), json_bodies))


# --- well-formed CDS requests, then parts of them misshapen ---------------------------------


def coded(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def condition(resource_id: str, code: dict, **more) -> dict:
    return {"resourceType": "Condition", "id": resource_id, "code": code, **more}


def observation(resource_id: str, code: dict, value: dict) -> dict:
    return {"resourceType": "Observation", "id": resource_id, "status": "final", "code": code, "valueCodeableConcept": value}


ACTIVE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]}
MG = {"unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}
DAILY = {"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [{"doseQuantity": {"value": 200, **MG}}]}
# Resources as an EHR sends them, one or more for every feature the reader looks for.
WELL_FORMED = {
    "conditions": [
        condition("c1", coded(SNOMED, "239891002", "Subacute cutaneous lupus erythematosus"), clinicalStatus=ACTIVE),
        condition("c2", coded(SNOMED, "200938002", "Discoid lupus erythematosus"), clinicalStatus=ACTIVE),
        condition("c3", coded(SNOMED, "42345000", "Polyneuropathy"), clinicalStatus=ACTIVE),
        condition("c4", {"text": "Deep vein thrombosis, 2019"}),
        condition("c5", {"coding": [{"system": SNOMED, "code": "128053003"}]}),
        condition("c6", {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I26.99"}]}),
    ],
    "observations": [
        observation("o1", coded(LOINC, SMOKING_STATUS, "Tobacco smoking status"), coded(SNOMED, "449868002", "Smokes tobacco daily")),
        observation("o2", coded(LOINC, PREGNANCY_STATUS, "Pregnancy status"), coded(SNOMED, PREGNANT, "Pregnant")),
        observation("o3", coded(LOINC, PREGNANCY_INTENTION, "Pregnancy intention"), {"text": "Unsure"}),
        {**observation("o4", coded(LOINC, PREGNANCY_STATUS, "Pregnancy status"), coded(SNOMED, "60001007", "Not pregnant")),
         "effectiveDateTime": "2026-11-02"},
    ],
    "medicationRequests": [
        {"resourceType": "MedicationRequest", "id": "m1", "status": "stopped", "intent": "order",
         "medicationCodeableConcept": coded(RXNORM, "5521", "Hydroxychloroquine"), "dosageInstruction": [DAILY]},
        {"resourceType": "MedicationRequest", "id": "m2", "status": "active", "intent": "order",
         "medication": {"concept": {"text": "Chloroquine phosphate 250 mg"}}},
        {"resourceType": "MedicationRequest", "id": "m3", "status": "active", "intent": "order", "authoredOn": "2026-03-01",
         "medicationCodeableConcept": coded(RXNORM, "10432", "Thalidomide"), "dosageInstruction": [DAILY]},
    ],
    "medications": [
        {"resourceType": "MedicationStatement", "id": "s1", "status": "completed",
         "medicationCodeableConcept": {"text": "Plaquenil"}},
        {"resourceType": "MedicationStatement", "id": "s2", "status": "active", "effectivePeriod": {"start": "2026-02-01"},
         "medicationCodeableConcept": {"text": "Thalidomide 50 mg"}, "dosage": [DAILY]},
    ],
}
THALIDOMIDE_ORDER = {"resourceType": "MedicationRequest", "id": "thalidomide-order", "status": "draft", "intent": "order",
                     "medicationCodeableConcept": coded(RXNORM, "10432", "Thalidomide"), "dosageInstruction": [DAILY]}


def bundle(resources) -> dict:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


@st.composite
def well_formed_requests(draw, hook: str) -> dict:
    """A request for ``hook`` as the specification's examples have it, its prefetch drawn from ``WELL_FORMED``."""
    context = {"userId": "Practitioner/example", "patientId": "1288992"}
    if hook == "order-select":
        context["selections"] = ["MedicationRequest/thalidomide-order"]
    if hook in ("order-select", "order-sign"):
        context["draftOrders"] = bundle([THALIDOMIDE_ORDER])
    prefetch = {key: bundle(draw(st.lists(st.sampled_from(found), min_size=1, max_size=3)))
                for key, found in WELL_FORMED.items()}
    body = {"hookInstance": str(draw(st.uuids())), "hook": hook, "context": context, "prefetch": prefetch}
    # A copy through JSON, as the server will read it: the templates are shared, a resource drawn twice must
    # be two objects, and the misshaping changes the body in place.
    return json.loads(json_bytes(body))


def places(value, path=()):
    """The path to every value inside a JSON value: each member of each object and each item of each list."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield (*path, key)
        yield from places(child, (*path, key))


def holder(body, path: tuple):
    """The object or list that holds the value at ``path``."""
    return reduce(lambda value, key: value[key], path[:-1], body)


# The same value in the wrong shape, as a careless mapping from another format writes it: "stopped" as
# ["stopped"] or {"code": "stopped"}, 200 as "200", a list as text, anything as null.
RESHAPINGS = [lambda v: [v], lambda v: {"code": v}, json.dumps, lambda v: None]
# Values the reader must never read as what they resemble.
ODD_VALUES = [[], {}, "", " ", True, False, 0, -1, 1.5, 10**400, 1e308, float("nan"), float("-inf"), "\ud800", "a\x00b"]
# The members the reader and the service read by name.
READ_BY_NAME = {
    "resourceType", "id", "status", "clinicalStatus", "verificationStatus", "code", "coding", "system", "display", "text",
    "valueCodeableConcept", "medicationCodeableConcept", "medication", "concept", "dosageInstruction", "doseAndRate",
    "doseQuantity", "value", "unit", "timing", "repeat", "frequency", "period", "periodUnit", "entry", "resource",
    "selections", "draftOrders", "prefetch", "context", "patientId", "hook", "hookInstance", "authoredOn",
    "effectiveDateTime", "effectivePeriod", "start", "dosage",
}


@st.composite
def misshapen(draw, requests: st.SearchStrategy[dict]) -> dict:
    """A well-formed request with one to three of its values, wherever they are, given another JSON shape.

    Half the time the value replaced is a member read by name (a status, a code, a dose) rather than any of
    the request's hundred-odd places, so that each of those is reached within a hundred examples."""
    body = draw(requests)
    for _ in range(draw(st.integers(1, 3))):
        everywhere = list(places(body))
        read = [path for path in everywhere if path[-1] in READ_BY_NAME]
        path = draw(st.sampled_from(read if read and draw(st.booleans()) else everywhere))
        parent, last = holder(body, path), path[-1]
        reshaped = [reshape(parent[last]) for reshape in RESHAPINGS]
        parent[last] = draw(st.sampled_from(reshaped) | st.sampled_from(ODD_VALUES) | json_values)
        event(f"misshapen {last}" if isinstance(last, str) else "misshapen a list item")
    return body


def feedback_on_a_card(outcome: str = "overridden") -> dict:
    """Feedback on a safety card cledss issued for a recorded pregnancy, with a reason that card offered."""
    card = card_ids.issue("safety.pregnancy", django_settings.SECRET_KEY)
    reason = {"reason": {"system": OVERRIDE_REASONS_SYSTEM, "code": "pregnancy-status-wrong"}, "userComment": "as discussed"}
    entry = {"card": card, "outcome": outcome, "overrideReason": reason, "outcomeTimestamp": "2026-12-01T09:00:00Z"}
    return {"feedback": [entry]}


def depth(value) -> int:
    """How many arrays and objects nest in a JSON value (recursion is fine on the shallow bodies built here)."""
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
    return 0 if children is None else 1 + max(map(depth, children), default=0)


# Nestings, built as bytes (json.dumps would itself run out of recursion on the deepest): an opening, the
# leaf inside, the closing, and how many levels each repetition adds.
NESTINGS = [(b"[", b"", b"]", 1), (b'{"a":', b"0", b"}", 1), (b'[{"resource":', b"0", b"}]", 2)]
DEEP_PLACE = "deep nesting goes here"


@st.composite
def deep_bodies(draw) -> tuple[str, bytes, int]:
    """A well-formed request or feedback with one of its values, or the whole body, replaced by a nesting of
    arrays and objects: near the limit, or far beyond what Python's parser recurses into. Returns the
    endpoint's path, the body and its depth."""
    service = draw(st.sampled_from(sorted(SERVICES)))
    if draw(st.booleans()):
        path, body = f"/cds-services/{service}/feedback", feedback_on_a_card()
    else:
        path, body = f"/cds-services/{service}", draw(well_formed_requests(SERVICES[service].hook))
    opening, leaf, closing, levels = draw(st.sampled_from(NESTINGS))
    times = draw(st.sampled_from([MAX_DEPTH - 8, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 1_000, 10_000, 100_000])
                 | st.integers(1, 3_000))
    nesting = opening * times + leaf + closing * times
    if draw(st.booleans()):
        return path, nesting, times * levels
    place = draw(st.sampled_from(list(places(body))))
    holder(body, place)[place[-1]] = DEEP_PLACE
    # The nesting sits inside as many arrays and objects as its path is long; the rest of the body may be deeper.
    levels = max(depth(body), len(place) + times * levels)
    return path, json_bytes(body).replace(json_bytes(DEEP_PLACE), nesting), levels


# --- tokens with odd headers and claims -----------------------------------------------------

# Plausible values for each header field, alongside JSON of any shape: the algorithms cledss accepts and
# those it must not, both of the EHR's key ids, jku and x5u URLs on no allowlist (cledss must never fetch
# them), and critical extensions PyJWT knows and does not.
HEADER_VALUES = {
    "alg": ["ES384", "RS384", "none", "HS256", "HS384", "ES256", "ES512", "RS256", "PS384", "EdDSA", "es384", ""],
    "kid": [*RegisteredEhr.KIDS.values(), "", "unknown", "ehr-es384 ", "\ud800"],
    "typ": ["JWT", "jwt", "JOSE", "at+jwt", ""],
    "jku": ["https://ehr.hospital.test/.well-known/jwks.json", "http://127.0.0.1:9/jwks.json", "file:///etc/passwd"],
    "x5u": ["https://ehr.hospital.test/cert.pem"],
    "crit": [["b64"], ["exp"], [], ["b64", "b64"], "b64"],
    "b64": [False, True],
    "cty": ["JWT"],
}
TENANT = "hospital-a"
# Claims an attacker or a broken EHR might write: text where numbers go and back, lone surrogates and NULs,
# dates beyond any calendar, the issuer in a list, another tenant.
CLAIM_VALUES = ["\ud800", "a\ud800", "a\x00b", "", "4102444800", 4102444800, 10**30, -1, 1e308, float("nan"),
                float("inf"), True, None, [], {}, [RegisteredEhr.ISSUER], RegisteredEhr.ISSUER, [TENANT], "hospital-b"]
# A P-384 key nobody registered; fixed, so derandomized runs sign alike.
STRANGER = ec.derive_private_key(0x5EED, ec.SECP384R1())


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sound_claims(audience: str) -> dict:
    now = int(time.time())
    return {"iss": RegisteredEhr.ISSUER, "aud": audience, "iat": now, "exp": now + 300, "jti": str(uuid.uuid4()),
            "tenant": TENANT}


def compact(header: dict, claims: dict, sign) -> str:
    """A compact JWS, built by hand: PyJWT will not write most of the headers and claims fuzzed here."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64(sign(signing_input.encode()))}"


def signer(alg: str, key):
    return lambda message: jwt.get_algorithm_by_name(alg).sign(message, key)


@st.composite
def odd_headers(draw, ehr, audience: str) -> tuple[str, dict, str]:
    """A token with sound claims for one of the EHR's algorithms, with either of its key ids (half the time the
    other algorithm's) and up to three header fields dropped or set to a plausible value or any JSON; signed
    with the EHR's key for that algorithm (mostly), its other key, a stranger's, junk or nothing. Returns the
    token, its header and how it was signed: the algorithm of the EHR key used, or how else."""
    alg = draw(st.sampled_from(sorted(RegisteredEhr.KIDS)))
    header = {"alg": alg, "kid": draw(st.sampled_from(sorted(RegisteredEhr.KIDS.values()))), "typ": "JWT"}
    for name in draw(st.lists(st.sampled_from(sorted(HEADER_VALUES)), max_size=3, unique=True)):
        value = draw(st.sampled_from([None, *HEADER_VALUES[name]]) | json_values)
        if value is None:
            header.pop(name, None)
        else:
            header[name] = value
    other = "RS384" if alg == "ES384" else "ES384"
    signed_by = draw(st.sampled_from([alg, alg, other, "a stranger's key", "junk", "nothing"]))
    junk = draw(st.binary(max_size=600)) if signed_by == "junk" else b""
    sign = {
        "ES384": signer("ES384", ehr.keys["ES384"]),
        "RS384": signer("RS384", ehr.keys["RS384"]),
        "a stranger's key": signer("ES384", STRANGER),
    }.get(signed_by, lambda message: junk)
    event(f"signed with {signed_by}")
    return compact(header, sound_claims(audience), sign), header, signed_by


@st.composite
def odd_claims(draw, ehr, audience: str) -> str:
    """A token with a sound header, signed with the right key, whose claims have one to three values replaced
    with odd ones (or removed), as a trusted but broken EHR might send."""
    alg = draw(st.sampled_from(sorted(RegisteredEhr.KIDS)))
    claims = sound_claims(audience)
    for name in draw(st.lists(st.sampled_from([*claims, "nbf", "sub"]), min_size=1, max_size=3, unique=True)):
        claims[name] = draw(st.sampled_from(CLAIM_VALUES) | st.text(any_char, max_size=8) | json_values)
        event(f"odd {name}")
    claims = {name: value for name, value in claims.items() if value is not None}
    return compact({"alg": alg, "kid": RegisteredEhr.KIDS[alg], "typ": "JWT"}, claims, signer(alg, ehr.keys[alg]))


# --- the properties -------------------------------------------------------------------------


@fuzz_settings
@given(
    path=st.sampled_from(PAGES + MACHINE_ENDPOINTS),
    method=st.sampled_from(["GET", "HEAD"]),
    query=queries,
    headers=language_headers(),
)
def test_any_query_string_on_any_page_gets_no_server_error(fuzzer, path, method, query, headers):
    fuzzer.send(method, path, query, **headers)


@fuzz_settings
@given(
    path=st.sampled_from(["/result/", "/es/result/", "/api/assessment", "/result/handout/", "/es/result/handout/"]),
    fields=field_mixtures,
    headers=language_headers(),
)
def test_real_fields_with_good_and_bad_values_get_an_assessment_or_a_refusal(fuzzer, path, fields, headers):
    response = fuzzer.send("GET", path, form_encoded(fields), follow=True, **headers)
    assert response.status_code in (200, 400, 422)


@fuzz_settings
@given(
    path=st.sampled_from(["/", "/result/", "/result/pdf/", "/es/", "/es/result/", "/result/handout/", "/result/handout/pdf/"]),
    fields=field_mixtures,
    multipart=st.booleans(),
    headers=language_headers(),
)
def test_a_form_posted_to_a_page_gets_a_405(fuzzer, path, fields, multipart, headers):
    if multipart:
        body, content_type = _multipart(fields)
    else:
        body, content_type = form_encoded(fields).encode("ascii"), "application/x-www-form-urlencoded"
    response = fuzzer.send("POST", path, body=body, content_type=content_type, **headers)
    assert response.status_code == 405


def _multipart(fields) -> tuple[bytes, str]:
    boundary = "fuzzing-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{quote_plus(utf8(name))}"\r\n\r\n'.encode() + utf8(value) + b"\r\n"
        for name, value in fields
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@fuzz_settings
@given(
    method=mostly(st.just("GET"), st.sampled_from(["POST", "PUT", "PATCH", "DELETE"])),
    query=mostly(field_mixtures.map(form_encoded), st.just("")),
    body=json_bodies,
    content_type=st.sampled_from(CONTENT_TYPES),
)
def test_json_sent_to_the_api_gets_no_server_error(fuzzer, method, query, body, content_type):
    fuzzer.send(method, "/api/assessment", query, body=body, content_type=content_type)


# Most calls carry a fresh token the registered EHR signed for the endpoint, so the fuzzing reaches the
# cards and the feedback store; the rest carry none, junk, or a token for another endpoint.
authorisations = mostly(st.just("signed"), st.sampled_from(["none", "junk", "other endpoint"]) | latin1_text)


def authorisation_header(ehr, path: str, kind: str) -> dict:
    if kind == "signed":
        return ehr.headers(path)
    if kind == "other endpoint":
        return ehr.headers("/cds-services")
    return {} if kind == "none" else {"HTTP_AUTHORIZATION": f"Bearer {kind}"}


@fuzz_settings
@given(call=cds_service_calls(), content_type=content_types, authorisation=authorisations)
def test_anything_sent_to_a_cds_service_gets_no_server_error(fuzzer, ehr, call, content_type, authorisation):
    method, service_id, body = call
    path = f"/cds-services/{service_id}"
    response = fuzzer.send(method, path, body=body, content_type=content_type, **authorisation_header(ehr, path, authorisation))
    if response.status_code == 200:
        event(f"{len(response.json()['cards'])} cards")


@fuzz_settings
@given(
    service_id=service_ids,
    method=methods,
    body=mostly(feedback_requests.map(json_bytes), json_bodies),
    content_type=content_types,
    authorisation=authorisations,
)
def test_anything_sent_as_card_feedback_gets_no_server_error(fuzzer, ehr, service_id, method, body, content_type, authorisation):
    path = f"/cds-services/{service_id}/feedback"
    fuzzer.send(method, path, body=body, content_type=content_type, **authorisation_header(ehr, path, authorisation))


@fuzz_settings
@given(data=st.data(), service_id=st.sampled_from(sorted(SERVICES)))
def test_a_well_formed_request_with_parts_of_the_wrong_json_type_gets_no_server_error(fuzzer, ehr, data, service_id):
    body = data.draw(misshapen(well_formed_requests(SERVICES[service_id].hook)))
    path = f"/cds-services/{service_id}"
    fuzzer.send("POST", path, body=json_bytes(body), content_type="application/json", **ehr.headers(path))


@fuzz_settings
@given(call=deep_bodies())
def test_a_body_nested_too_deep_is_a_400_and_one_within_the_limit_is_read(fuzzer, ehr, call):
    path, body, levels = call
    response = fuzzer.send("POST", path, body=body, content_type="application/json", **ehr.headers(path))
    event("beyond the limit" if levels > MAX_DEPTH else "within the limit")
    too_deep = response.status_code == 400 and response.json()["error"] == "too_deep"
    assert too_deep == (levels > MAX_DEPTH), (levels, response.status_code, response.content[:200])


# One sound call to each kind of endpoint, for the token fuzzing: its body is never the reason for a refusal.
SCLE_PATIENT_VIEW = {
    "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
    "hook": "patient-view",
    "context": {"patientId": "1288992"},
    "prefetch": {"conditions": bundle(WELL_FORMED["conditions"][:1]), "observations": None, "medicationRequests": None,
                 "medications": None},
}
CDS_CALLS = {
    "/cds-services": ("GET", b""),
    "/cds-services/cledss-thalidomide-patient-view": ("POST", json_bytes(SCLE_PATIENT_VIEW)),
    "/cds-services/cledss-thalidomide-patient-view/feedback": ("POST", json_bytes(feedback_on_a_card("accepted"))),
}


def call_with_token(fuzzer, path: str, token: str):
    method, body = CDS_CALLS[path]
    return fuzzer.send(method, path, body=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


@fuzz_settings
@given(data=st.data(), path=st.sampled_from(sorted(CDS_CALLS)))
def test_a_token_with_odd_headers_is_refused_and_only_one_signed_with_its_kids_key_accepted(fuzzer, ehr, data, path):
    token, header, signed_by = data.draw(odd_headers(ehr, f"{RegisteredEhr.BASE}{path}"))
    response = call_with_token(fuzzer, path, token)
    assert response.status_code in (200, 401), response.status_code
    if response.status_code == 200:  # the header names the algorithm and key the EHR signed with
        assert header["alg"] == signed_by and header["kid"] == RegisteredEhr.KIDS[signed_by] and header["typ"] == "JWT"


@pytest.fixture
def ehr_with_a_tenant(ehr, settings):
    """The registered EHR, its calls accepted for one tenant only, so the tenant claim is checked too."""
    settings.CDS_CLIENTS = registered_as(clients.Client(ehr.ISSUER, jwks=ehr.jwks, tenants=(TENANT,)))
    return ehr


@fuzz_settings
@given(data=st.data(), path=st.sampled_from(sorted(CDS_CALLS)))
def test_a_signed_token_with_odd_claims_is_answered_or_refused_never_a_server_error(fuzzer, ehr_with_a_tenant, data, path):
    response = call_with_token(fuzzer, path, data.draw(odd_claims(ehr_with_a_tenant, f"{RegisteredEhr.BASE}{path}")))
    assert response.status_code in (200, 401), response.status_code


# The PDF: a render costs about half a second, so malformed queries are fuzzed at full strength
# and valid ones, which render, get a twentieth of the profile's examples (5 in `make test`).
@st.composite
def flawed_fields(draw) -> list[tuple[str, str]]:
    """A valid patient with one thing wrong that the PDF view must refuse."""
    pairs = draw(valid_fields())
    flaw = draw(st.sampled_from(["bad_value", "repeated", "missing", "bad_paper", "one_snap_value"]))
    name = draw(st.sampled_from(["subtype", "antimalarial_status", *CHECKBOXES, *NUMBERS, *SNAP]))
    if flaw == "bad_value":
        bad = draw(any_text)
        # Text can spell a valid number in many ways (" 1e1", Arabic digits), so a number's is always spoiled.
        bad += "\x00" if bad.lower() in VALID_VALUES[name] or name in (*NUMBERS, *SNAP) else ""
        return [(n, v) for n, v in pairs if n != name] + [(name, bad)]
    if flaw == "one_snap_value":
        given = draw(st.sampled_from(SNAP))
        return [(n, v) for n, v in pairs if n not in SNAP] + [(given, draw(st.sampled_from(SNAP_VALUES)))]
    if flaw == "repeated":
        return pairs + [(name, draw(st.sampled_from(VALID_VALUES[name])))] * 2
    if flaw == "missing":
        missing = draw(st.sampled_from(["subtype", "antimalarial_status"]))
        return [(n, v) for n, v in pairs if n != missing]
    return pairs + [("paper", draw(any_text.filter(lambda paper: paper not in PAPER_SIZES)))]


@fuzz_settings
@given(
    path=st.sampled_from(["/result/pdf/", "/es/result/pdf/", "/result/handout/pdf/", "/es/result/handout/pdf/"]),
    query=st.one_of(flawed_fields().map(form_encoded), raw_queries),
    headers=language_headers(),
)
def test_a_malformed_pdf_request_is_refused_without_rendering(fuzzer, path, query, headers):
    assert fuzzer.send("GET", path, query, follow=True, **headers).status_code == 400


PDF_EXAMPLES = max(5, settings.default.max_examples // 20)


@settings(fuzz_settings, max_examples=PDF_EXAMPLES)
@given(
    path=st.sampled_from(["/result/pdf/", "/es/result/pdf/", "/result/handout/pdf/", "/es/result/handout/pdf/"]),
    fields=valid_fields(),
    paper=st.sampled_from([None, *PAPER_SIZES]),
    others=st.lists(st.tuples(any_text.filter(lambda name: name.lower() not in VALID_VALUES), field_values), max_size=3),
    headers=language_headers(),
)
def test_a_valid_pdf_request_gets_a_pdf_whatever_else_it_carries(fuzzer, path, fields, paper, others, headers):
    fields = fields + others + ([("paper", paper)] if paper else [])
    response = fuzzer.send("GET", path, form_encoded(fields), follow=True, **headers)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
