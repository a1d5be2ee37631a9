"""cledss reports what sources found, did or require; no sentence tells the clinician what to do."""

import itertools
import re
from decimal import Decimal

import pytest
from django.utils import translation

from cledss.clinical.assess import assess
from cledss.clinical.body_of_evidence import EvidenceSnapshot
from cledss.clinical.features import AntimalarialStatus, PatientFeatures, Subtype

INSTRUCTIONS = {
    "en": {"check", "plan", "document", "seek", "consider", "start", "stop", "avoid", "use", "monitor", "refer",
           "confirm", "ensure", "do", "don't", "prescribe", "reduce", "increase", "test", "order", "read"},
    "es": {"compruebe", "comprobar", "verifique", "planifique", "planificar", "documente", "documentar", "registre",
           "busque", "buscar", "solicite", "solicitar", "considere", "considerar", "inicie", "iniciar", "empiece",
           "comience", "suspenda", "suspender", "detenga", "pare", "evite", "evitar", "use", "usar", "utilice",
           "utilizar", "vigile", "vigilar", "monitorice", "monitorizar", "controle", "derive", "derivar", "remita",
           "confirme", "confirmar", "asegúrese", "prescriba", "reduzca", "aumente", "lea"},
}
SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+")
EVERY_PATIENT = [
    PatientFeatures(subtype, status, *safety)
    for subtype, status, safety in itertools.product(
        Subtype, AntimalarialStatus, itertools.product((False, True), repeat=4)
    )
]
# Every band of the daily dose, time on treatment below and above 6 months, and SNAP falls past, short of and
# without reaching the criterion, in every combination; the other features change none of these sentences.
SNAP_PAIRS = [(None, None), (Decimal(20), Decimal(8)), (Decimal(20), Decimal("10.01")), (Decimal(10), Decimal(12))]
EVERY_EXPOSURE = [
    PatientFeatures(Subtype.SCLE, AntimalarialStatus.REFRACTORY, neuropathy=neuropathy, daily_dose_mg=dose,
                    months_on_thalidomide=months, snap_baseline_uv=baseline, snap_now_uv=now)
    for neuropathy, dose, months, (baseline, now) in itertools.product(
        (False, True), (None, 25, 40, 50, 60, 150, 400), (None, 0, 3, 6, 240), SNAP_PAIRS
    )
]


def first_words(text: str) -> list[str]:
    return [sentence.split()[0].strip("«(\"'").lower() for sentence in SENTENCE_END.split(text) if sentence.split()]


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_sentence_of_any_assessment_begins_with_an_instruction(seed_records, language):
    evidence = EvidenceSnapshot.from_records(seed_records, version="seed", language=language)
    seen = set()
    with translation.override(language):
        for features in EVERY_PATIENT + EVERY_EXPOSURE:
            assessment = assess(features, evidence)
            texts = [str(assessment.applicability.headline), *(s.text for s in assessment.statements)]
            for text in texts:
                if text in seen:
                    continue
                seen.add(text)
                instructions = set(first_words(text)) & INSTRUCTIONS[language]
                assert not instructions, (instructions, text)
    assert len(seen) > 60 + 40  # every distinct statement of the 448 patients and the 280 exposures


def test_the_walk_covers_every_patient():
    assert len(EVERY_PATIENT) == 7 * 4 * 16


def test_the_check_finds_an_instruction_where_there_is_one():
    assert "check" in set(first_words("The study found this. Check adherence first."))
    assert "considere" in set(first_words("Hallazgo del estudio; considere la dosis."))
