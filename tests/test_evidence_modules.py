"""The evidence app's modules: one definition of the published evidence, a workflow of keyword-only steps."""

import ast
import inspect
from pathlib import Path

import pytest

from cledss.evidence import admin, workflow
from cledss.evidence.models import Status

EVIDENCE = Path(__file__).resolve().parent.parent / "cledss" / "evidence"


def local_imports(module: str) -> set[str]:
    tree = ast.parse((EVIDENCE / f"{module}.py").read_text())
    return {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1}


@pytest.mark.parametrize("module", ["snapshot", "versions", "evidence_file"])
def test_snapshot_versions_and_the_evidence_file_read_the_published_evidence_from_one_module(module):
    assert "published" in local_imports(module)


def test_versions_never_import_the_evidence_file_so_there_is_no_cycle():
    assert "evidence_file" not in local_imports("versions")
    assert "evidence_file" not in local_imports("published") and "versions" not in local_imports("published")


@pytest.mark.parametrize("step", ["submit", "publish", "send_back", "retract", "reopen", "revise"])
def test_each_workflow_step_takes_the_item_then_only_named_arguments(step):
    parameters = list(inspect.signature(getattr(workflow, step)).parameters.values())
    assert parameters[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters[1:])


def test_the_admin_offers_every_workflow_step_from_one_plain_mapping():
    assert set(admin.TRANSITIONS) == {"submit", "publish", "send_back", "retract", "reopen", "revise"}
    assert admin.StudyAdmin.transitions is admin.FindingAdmin.transitions is admin.TRANSITIONS
    assert admin.TRANSITIONS["retract"].from_status == (Status.PUBLISHED,)
