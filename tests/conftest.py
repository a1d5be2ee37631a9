import json
from pathlib import Path

import pytest

from cledss.clinical.evidence import EvidenceSnapshot

SEED_PATH = Path(__file__).resolve().parent.parent / "cledss" / "evidence" / "seed" / "evidence.json"


@pytest.fixture(scope="session")
def seed_records():
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))["studies"]


@pytest.fixture(scope="session")
def snapshot(seed_records):
    """The seed evidence as the clinical core sees it, without a database; immutable, so shared."""
    return EvidenceSnapshot.from_records(seed_records, version="seed")


@pytest.fixture
def seeded(db):
    from cledss.evidence.evidence_file import SEED, add_missing_studies, read

    add_missing_studies(read(SEED))
