import json

import pytest
from django.core.management import CommandError, call_command

from cledss.evidence.models import Finding, Status, Study


def test_seed_loads_published_studies_and_findings(db):
    call_command("load_evidence", verbosity=0)
    assert Study.objects.filter(status=Status.PUBLISHED).count() == 9
    assert Finding.objects.get(study__key="cortes-hernandez-2012", key="response").numerator == 58


def test_loading_again_adds_nothing_and_keeps_curators_edits(db):
    call_command("load_evidence", verbosity=0)
    Finding.objects.filter(key="paraesthesia").update(statement="Edited by a curator.")
    call_command("load_evidence", verbosity=0)
    assert Study.objects.count() == 9
    assert Finding.objects.get(study__key="cortes-hernandez-2012", key="paraesthesia").statement == "Edited by a curator."


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"format": "something-else"}),
        json.dumps({"format": "cledss-evidence", "format_version": 99, "studies": []}),
        json.dumps({"format": "cledss-evidence", "format_version": 1, "studies": [{"key": "x"}]}),
    ],
)
def test_bad_file_is_refused_and_changes_nothing(db, tmp_path, content):
    call_command("load_evidence", verbosity=0)
    before = Finding.objects.count()
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError):
        call_command("load_evidence", str(path), verbosity=0)
    assert Finding.objects.count() == before
