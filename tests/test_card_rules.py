"""The one table that decides when a CDS card appears and how loud it is, row by row, and docs/interop.md
printing that same table (shared/DESIGN.md, "Alerts")."""

from dataclasses import replace

import pytest

from cledss.interop.cds_hooks.rules import HOW_LOUD, KINDS, REASONS, WHEN, Headline, Record, decide, markdown
from cledss.interop.fhir_reading import Pregnancy
from tests.support import ROOT

# A patient with CLE on record and nothing else: each case below changes what it needs.
NOTHING_ELSE = Record(
    hook="patient-view", cle=True, thalidomide_ordered=False, thalidomide_taken=False, pregnancy=Pregnancy.NOT_RECORDED,
    can_become_pregnant=False, neuropathy=False, thrombosis=False, months_on_thalidomide=None,
)
ORDERED = {"thalidomide_ordered": True}


def cards(**record) -> list[tuple[str, str, str]]:
    return [(p.card, p.indicator, p.headline) for p in decide(replace(NOTHING_ELSE, **record))]


@pytest.mark.parametrize("hook", ["patient-view", "order-select", "order-sign"])
def test_a_record_without_cle_gets_no_card_at_all(hook):
    assert cards(hook=hook, cle=False, thalidomide_ordered=True, thalidomide_taken=True, pregnancy=Pregnancy.PREGNANT) == []


@pytest.mark.parametrize("hook", ["order-select", "order-sign"])
def test_an_order_without_thalidomide_gets_no_card(hook):
    assert cards(hook=hook, pregnancy=Pregnancy.PREGNANT, can_become_pregnant=True) == []


def test_a_chart_opened_without_thalidomide_gets_one_info_card_whatever_the_record_shows():
    everything = {"pregnancy": Pregnancy.PREGNANT, "can_become_pregnant": True, "neuropathy": True, "thrombosis": True}
    assert cards() == cards(**everything) == [("evidence", "info", "evidence")]


@pytest.mark.parametrize(
    "record, indicator, headline",
    [
        ({}, "info", "boxed-warnings"),
        ({"months_on_thalidomide": 5}, "info", "boxed-warnings"),
        ({"months_on_thalidomide": 6}, "warning", "long-treatment"),
        ({"neuropathy": True, "months_on_thalidomide": 9}, "warning", "neuropathy"),
        ({"pregnancy": Pregnancy.PREGNANT, "can_become_pregnant": True, "neuropathy": True}, "critical", "pregnancy"),
        # Facts outside the monitoring the card reports are on it but do not raise it.
        ({"can_become_pregnant": True, "thrombosis": True}, "info", "boxed-warnings"),
    ],
)
def test_a_chart_opened_with_thalidomide_being_taken_gets_the_monitoring_facts_that_apply(record, indicator, headline):
    assert cards(thalidomide_taken=True, **record) == [("monitoring", indicator, headline)]


@pytest.mark.parametrize("hook", ["order-select", "order-sign"])
@pytest.mark.parametrize(
    "record, indicator, headline",
    [
        ({}, "warning", "boxed-warnings"),
        ({"thrombosis": True}, "warning", "thrombosis"),
        ({"neuropathy": True, "thrombosis": True}, "critical", "neuropathy"),
        ({"can_become_pregnant": True, "neuropathy": True}, "critical", "reproductive-potential"),
        ({"pregnancy": Pregnancy.NOT_PREGNANT, "can_become_pregnant": True}, "critical", "reproductive-potential"),
        ({"pregnancy": Pregnancy.UNKNOWN}, "warning", "boxed-warnings"),
        ({"pregnancy": Pregnancy.PREGNANT, "can_become_pregnant": True, "neuropathy": True}, "critical", "pregnancy"),
        # An order whose conditions were not sent: cledss cannot tell CLE, and the safety card goes out.
        ({"cle": None}, "warning", "boxed-warnings"),
    ],
)
def test_an_order_for_thalidomide_gets_the_safety_card_first_then_the_evidence(hook, record, indicator, headline):
    assert cards(hook=hook, **ORDERED, **record) == [("safety", indicator, headline), ("evidence", "info", "evidence")]


def test_every_row_of_both_tables_is_reached_by_a_case_above():
    """The cases above, gathered: a row no case reaches would be a rule nobody tested."""
    reached_when, reached_loud = set(), set()
    records = [
        {"cle": False}, {"hook": "order-sign"}, {"hook": "order-select", **ORDERED}, {"thalidomide_taken": True}, {},
        {"hook": "order-sign", **ORDERED, "pregnancy": Pregnancy.PREGNANT},
        {"hook": "order-sign", **ORDERED, "can_become_pregnant": True}, {"hook": "order-sign", **ORDERED, "neuropathy": True},
        {"hook": "order-sign", **ORDERED, "thrombosis": True}, {"thalidomide_taken": True, "pregnancy": Pregnancy.PREGNANT},
        {"thalidomide_taken": True, "neuropathy": True}, {"thalidomide_taken": True, "months_on_thalidomide": 6},
    ]
    for changes in records:
        record = replace(NOTHING_ELSE, **changes)
        reached_when.add(next(n for n, row in enumerate(WHEN) if record.hook in row.hooks and row.holds(record)))
        for planned in decide(record):
            reached_loud.add((planned.card, planned.headline))
    assert reached_when == set(range(len(WHEN)))
    assert reached_loud == {(card, loud.headline) for card, louds in HOW_LOUD.items() for loud in louds}


def test_an_info_card_offers_no_override_reason_and_every_other_card_those_for_what_it_leads_with():
    for planned in KINDS.values():
        codes = [reason["code"] for reason in planned.override_reasons]
        assert codes == ([] if planned.indicator == "info" else [code for code, _ in REASONS[planned.headline]])
        assert all(reason["system"] and reason["display"] for reason in planned.override_reasons)


def test_a_recorded_pregnancy_is_dismissed_only_for_a_reason_about_the_pregnancy():
    reasons = dict(REASONS[Headline.PREGNANCY])
    assert set(reasons) == {"pregnancy-status-wrong", "pregnancy-ended"}
    assert all("pregnan" in display for display in reasons.values())
    others = {code for headline, offered in REASONS.items() if headline != Headline.PREGNANCY for code, _ in offered}
    assert not others & set(reasons)


def test_the_interop_readme_prints_the_table_the_code_reads():
    readme = (ROOT / "docs/interop.md").read_text(encoding="utf-8")
    printed = readme.split("<!-- card rules: begin -->\n", 1)[1].split("\n<!-- card rules: end -->", 1)[0]
    assert printed == markdown()
