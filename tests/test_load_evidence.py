"""`manage.py load_evidence`: the seed reaches an existing database without overwriting curators' work.

Each test loads small evidence files of its own, an "old seed" and then a "corrected seed"; the last loads the
seed as it was before issue 34 and then the seed of this release.
"""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cledss.evidence import workflow
from cledss.evidence.evidence_fields import FINDING, in_file
from cledss.evidence.evidence_file import FORMAT, FORMAT_VERSION, RETRACTED_FROM_SEED, UPDATED_FROM_SEED
from cledss.evidence.models import EvidenceVersion, Finding, Status, Study
from tests.support import evidence_state

# The seed as it was before issue 34, kept as the format-3 export that must always import (test_export_format.py).
SEED_BEFORE_ISSUE_34 = Path(__file__).resolve().parent / "evidence-format-3.json"


def study(key="cortes-hernandez-2012", findings=None, **overrides) -> dict:
    record = {
        "key": key,
        "short": "Cortés-Hernández et al. 2012",
        "short_es": "",
        "title": "Thalidomide in the treatment of refractory cutaneous lupus erythematosus",
        "citation": "Cortés-Hernández J, et al. Br J Dermatol 2012;166:616-23.",
        "year": 2012,
        "pmid": "21999437",
        "doi": "",
        "url": "",
        "role": "primary",
        "design": "Prospective observational cohort",
        "design_es": "",
        "setting": "",
        "size": 60,
        "population": "",
        "population_es": "",
        "intervention": "",
        "intervention_es": "",
        "follow_up": "",
        "follow_up_es": "",
        "subtypes_reported": [],
        "certainty": "low",
        "certainty_reason": "",
        "certainty_reason_es": "",
        "status": "published",
        "findings": [finding()] if findings is None else findings,
    }
    return {**record, **overrides}


def finding(key="response", **overrides) -> dict:
    """A finding as the evidence file holds it: every field the file carries, empty unless given here."""
    record = {name: _empty(Finding, name) for name in in_file(FINDING)}
    record |= {
        "key": key,
        "outcome": "response",
        "measure": "proportion",
        "numerator": 58,
        "denominator": 60,
        "estimate": "97",
        "statement": "responded to thalidomide",
        "certainty": "low",
        "status": "published",
    }
    return {**record, **overrides}


def _empty(model, name: str):
    return None if model._meta.get_field(name).null else ""


def paraesthesia() -> dict:
    return finding("paraesthesia", outcome="paraesthesia", numerator=15, estimate="25", statement="had paraesthesia")


def yuki(**overrides) -> dict:
    return study("yuki-2021", short="Yuki et al. 2021", pmid="33000001", year=2021, **overrides)


OLD_SEED = [study(findings=[finding(), paraesthesia()]), yuki()]
CORRECTED_RESPONSE = finding(numerator=57, estimate="95")  # the corrected seed's figure for the response finding


def load(tmp_path, studies, name="evidence.json") -> str:
    """Write the studies as an evidence file, load it as `make run` does, and return what the command printed."""
    path = tmp_path / name
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "evidence_version": None, "studies": studies}
    path.write_text(json.dumps(document), encoding="utf-8")
    out = io.StringIO()
    call_command("load_evidence", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded(db, tmp_path):
    """A database at evidence version 1 from the old seed."""
    load(tmp_path, OLD_SEED, "old.json")


def get(study_key="cortes-hernandez-2012", key="response") -> Finding:
    return Finding.objects.get(study__key=study_key, key=key)


def edit(row, **values) -> None:
    """A curator's edit as the admin saves it."""
    for name, value in values.items():
        setattr(row, name, value)
    row._change_reason = "edited"
    row.save()


def test_the_first_load_adds_every_study_and_finding_and_records_version_1(loaded):
    assert Study.objects.filter(status=Status.PUBLISHED).count() == 2
    assert get().numerator == 58
    assert EvidenceVersion.objects.get().number == 1


def test_an_untouched_seed_finding_is_updated_to_the_corrected_seed(loaded, tmp_path):
    corrected = [study(findings=[CORRECTED_RESPONSE, paraesthesia()]), yuki()]
    out = load(tmp_path, corrected)
    assert (get().numerator, get().estimate) == (57, 95)
    assert get().status == Status.PUBLISHED
    assert get().history.first().history_change_reason == UPDATED_FROM_SEED
    assert "0 added, 1 updated, 0 retracted, 0 kept" in out
    assert "evidence version v2 (sha " in out
    assert list(EvidenceVersion.objects.values_list("number", flat=True)) == [2, 1]


def test_an_untouched_seed_study_is_updated_to_the_corrected_seed(loaded, tmp_path):
    load(tmp_path, [study(title="Thalidomide in refractory CLE", findings=[finding(), paraesthesia()]), yuki()])
    row = Study.objects.get(key="cortes-hernandez-2012")
    assert row.title == "Thalidomide in refractory CLE"
    assert row.history.first().history_change_reason == UPDATED_FROM_SEED


def test_a_finding_a_curator_edited_is_kept_and_reported(loaded, tmp_path):
    edit(get(), statement="Edited by a curator.")
    out = load(tmp_path, [study(findings=[CORRECTED_RESPONSE, paraesthesia()]), yuki()])
    assert (get().statement, get().numerator) == ("Edited by a curator.", 58)
    assert get().history.first().history_change_reason == "edited"
    assert "kept curator's version of cortes-hernandez-2012/response" in out
    assert "0 updated, 0 retracted, 1 kept" in out


def test_a_finding_changed_without_a_history_entry_counts_as_a_curators(loaded, tmp_path):
    Finding.objects.filter(key="response").update(statement="Edited around the history.")
    out = load(tmp_path, [study(findings=[CORRECTED_RESPONSE, paraesthesia()]), yuki()])
    assert (get().statement, get().numerator) == ("Edited around the history.", 58)
    assert "kept curator's version of cortes-hernandez-2012/response" in out


def test_a_finding_a_reviewer_retracted_stays_retracted(loaded, tmp_path, reviewer):
    workflow.retract(get(), reviewer=reviewer, note="misread the table")
    out = load(tmp_path, [study(findings=[CORRECTED_RESPONSE, paraesthesia()]), yuki()])
    assert (get().status, get().numerator) == (Status.RETRACTED, 58)
    assert "kept curator's version of cortes-hernandez-2012/response" in out


def test_a_study_a_curator_edited_is_kept_but_its_untouched_findings_are_updated(loaded, tmp_path):
    edit(Study.objects.get(key="cortes-hernandez-2012"), setting="Barcelona")
    load(tmp_path, [study(title="A corrected title", findings=[CORRECTED_RESPONSE, paraesthesia()]), yuki()])
    row = Study.objects.get(key="cortes-hernandez-2012")
    assert (row.setting, row.title) == ("Barcelona", OLD_SEED[0]["title"])
    assert get().numerator == 57


def test_a_finding_dropped_from_the_seed_is_retracted_not_deleted(loaded, tmp_path):
    out = load(tmp_path, [study(findings=[finding()]), yuki()])
    dropped = get(key="paraesthesia")
    assert dropped.status == Status.RETRACTED
    assert dropped.history.first().history_change_reason == RETRACTED_FROM_SEED
    assert "0 added, 0 updated, 1 retracted, 0 kept" in out
    assert EvidenceVersion.objects.count() == 2


def test_a_dropped_finding_a_curator_edited_stays_published_and_is_reported(loaded, tmp_path):
    edit(get(key="paraesthesia"), statement="Edited by a curator.")
    out = load(tmp_path, [study(findings=[finding()]), yuki()])
    assert get(key="paraesthesia").status == Status.PUBLISHED
    assert "kept curator's version of cortes-hernandez-2012/paraesthesia" in out
    assert "0 retracted, 1 kept" in out


def test_a_study_dropped_from_the_seed_is_retracted_with_its_findings(loaded, tmp_path):
    out = load(tmp_path, [OLD_SEED[0]])
    assert Study.objects.get(key="yuki-2021").status == Status.RETRACTED
    assert get("yuki-2021").status == Status.RETRACTED
    assert "2 retracted" in out


def test_a_finding_the_seed_drops_and_brings_back_is_published_again(loaded, tmp_path):
    load(tmp_path, [study(findings=[finding()]), yuki()], "dropped.json")
    load(tmp_path, OLD_SEED, "restored.json")
    assert get(key="paraesthesia").status == Status.PUBLISHED


def test_a_new_study_and_a_new_finding_are_added(loaded, tmp_path):
    edit(Study.objects.get(key="yuki-2021"), setting="Tokyo")  # adding to a curator's study loses nothing
    new_finding = finding("relapse", outcome="relapse", numerator=20, estimate="33", statement="relapsed")
    corrected = [
        study(findings=[finding(), paraesthesia(), new_finding]),
        yuki(findings=[finding(), new_finding]),
        study("briani-2005", short="Briani et al. 2005", pmid="16373260", year=2005),
    ]
    out = load(tmp_path, corrected)
    assert get(key="relapse").status == Status.PUBLISHED
    assert get("yuki-2021", "relapse").status == Status.PUBLISHED
    assert get("briani-2005").status == Status.PUBLISHED
    assert "4 added, 0 updated, 0 retracted, 1 kept" in out  # the curator's change to Yuki 2021 stays
    assert EvidenceVersion.objects.count() == 2


def test_a_row_a_curator_made_with_a_seed_key_is_left_alone(loaded, tmp_path):
    curators = Finding(study=Study.objects.get(key="yuki-2021"), **{**finding("relapse"), "statement": "A curator's."})
    curators._change_reason = "created"
    curators.save()
    load(tmp_path, [OLD_SEED[0], yuki(findings=[finding(), finding("relapse")])])
    assert get("yuki-2021", "relapse").statement == "A curator's."
    load(tmp_path, OLD_SEED, "without-it.json")
    assert get("yuki-2021", "relapse").status == Status.PUBLISHED  # never the loader's, so never retracted by it


def test_loading_the_same_file_twice_changes_nothing(loaded, tmp_path):
    before = evidence_state()
    out = load(tmp_path, OLD_SEED, "old.json")
    assert evidence_state() == before
    assert "0 added, 0 updated, 0 retracted, 0 kept" in out
    assert "evidence version v1 (sha " in out


def test_an_invalid_file_rolls_back_everything(loaded, tmp_path):
    before = evidence_state()
    corrected = [
        study(title="Changed before the bad row", findings=[CORRECTED_RESPONSE, finding("new-one")]),
        yuki(findings=[finding(numerator=61)]),
    ]
    with pytest.raises(CommandError, match="yuki-2021/response: numerator: The number of patients with the outcome"):
        load(tmp_path, corrected)
    assert evidence_state() == before


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"format": "something-else"}),
        json.dumps({"format": FORMAT, "format_version": 99, "studies": []}),
        json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, "studies": [{"key": "x"}]}),
        json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, "studies": [study(status="draft")]}),
        json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, "studies": [OLD_SEED[0], OLD_SEED[0]]}),
    ],
)
def test_a_bad_file_is_refused_and_changes_nothing(loaded, tmp_path, content):
    before = evidence_state()
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError, match="evidence not loaded, nothing changed"):
        call_command("load_evidence", str(path), stdout=io.StringIO())
    assert evidence_state() == before


def test_the_seed_reaches_a_database_loaded_from_the_previous_seed_as_a_new_version(db):
    """The J Dermatolog Treat cohort's arterial stent thrombosis, and the primary study's cerebral ischaemic
    events under their own name, reach a running instance through `make run`'s load_evidence as version 2."""
    call_command("load_evidence", str(SEED_BEFORE_ISSUE_34), stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_evidence", stdout=out)
    assert "1 added" in out.getvalue() and "evidence version v2 (sha " in out.getvalue()
    stent = get("j-dermatolog-treat-cohort", "arterial-stent-thrombosis")
    assert (stent.outcome, stent.numerator, stent.denominator) == ("arterial_stent_thrombosis", 1, 30)
    assert stent.estimate is None  # the abstract gives one event, no rate
    assert stent.status == Status.PUBLISHED
    assert get("cortes-hernandez-2012", "cerebral-ischaemia").outcome == "cerebral_ischaemic_events"
    assert Study.objects.get(key="cortes-hernandez-2012").intervention_es == "Talidomida 100 mg/día"
    assert EvidenceVersion.objects.latest().number == 2
