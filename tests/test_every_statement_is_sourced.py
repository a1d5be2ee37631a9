"""Whatever the patient, every statement names its source and certainty."""

import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from cledss.clinical.assess import LABEL, assess
from cledss.clinical.features import AntimalarialStatus, PatientFeatures, Subtype

any_patient = st.builds(
    PatientFeatures,
    subtype=st.sampled_from(Subtype),
    antimalarial_status=st.sampled_from(AntimalarialStatus),
    can_become_pregnant=st.booleans(),
    neuropathy=st.booleans(),
    smoker=st.booleans(),
    thrombosis_risk=st.booleans(),
)


@given(features=any_patient)
def test_every_statement_has_a_source_and_a_certainty(snapshot, features):
    assessment = assess(features, snapshot)
    assert assessment.label == LABEL
    assert assessment.evidence_version == "seed"
    for statement in assessment.statements:
        assert statement.sources, statement.text
        assert statement.certainty
        for source in statement.sources:
            assert source.pmid or source.doi or source.url
            assert source in assessment.sources


def test_the_clinical_core_imports_no_django():
    code = "import sys, cledss.clinical.assess, cledss.clinical.handout; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
