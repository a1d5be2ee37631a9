"""Twenty records as EHRs send them (tests/cds_scenarios.py), through the CDS Hooks service: docs/interop.md's
table of the cards each gets is the service's answer, no card's detail runs past 1,200 characters (the longest is
printed), and every figure on a card is the one the result page shows for the features the card links to.

After a change to the cards, rewrite that table with
``CLEDSS_WRITE_CARD_TABLE=1 .venv/bin/python -m pytest tests/test_card_scenarios.py -p no:randomly``.
"""

import json
import os
import re
import uuid
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings

from cledss.interop.cds_hooks import card_ids
from cledss.interop.cds_hooks.cards import DETAIL_LIMIT
from cledss.interop.cds_hooks.rules import KINDS
from tests.cds_scenarios import scenarios
from tests.support import ROOT, page_text

README = ROOT / "docs/interop.md"
BEGIN, END = "<!-- card scenarios: begin -->\n", "\n<!-- card scenarios: end -->"
# The lines of a card that carry the result page's key points (the others say what the record shows).
KEY_POINT_LINE = re.compile(
    r"^- \*\*(Fit|For this patient|Boxed warnings \(label\)|Neurological monitoring|Response in the study|"
    r"Relapse and remission):\*\* (.*)$", re.M
)
CITATION = re.compile(r" \[[^\]]*\]")


@pytest.fixture
def answers(client, seeded, ehr):
    """Each scenario with the cards cledss answers it with."""
    answered = []
    for scenario in scenarios():
        response = client.post(scenario.path, json.dumps(scenario.body), content_type="application/json",
                               **ehr.headers(scenario.path))
        assert response.status_code == 200, scenario.shows
        answered.append((scenario, response.json()["cards"]))
    return answered


def kind(card) -> str:
    return card_ids.kind_of(uuid.UUID(card["uuid"]), KINDS, [settings.SECRET_KEY])


def table(answers) -> str:
    rows = ["| # | hook | the record shows | cards (indicator, card.headline) |", "|---|---|---|---|"]
    for n, (scenario, cards) in enumerate(answers, 1):
        given = ", ".join(f"`{card['indicator']}` {kind(card)}" for card in cards) or "none"
        rows.append(f"| {n} | {scenario.hook} | {scenario.shows} | {given} |")
    return "\n".join(rows)


def test_the_interop_readme_lists_the_cards_each_scenario_gets(answers):
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(BEGIN, 1)
    printed, after = rest.split(END, 1)
    if os.environ.get("CLEDSS_WRITE_CARD_TABLE"):
        README.write_text(before + BEGIN + table(answers) + END + after, encoding="utf-8")
    assert printed == table(answers)


def test_the_scenarios_cover_chart_opening_and_ordering_with_and_without_cards(answers):
    hooks = {scenario.hook for scenario, _ in answers}
    indicators = {card["indicator"] for _, cards in answers for card in cards}
    assert len(answers) == 20 and hooks == {"patient-view", "order-select", "order-sign"}
    assert indicators == {"info", "warning", "critical"} and any(not cards for _, cards in answers)


def test_no_card_detail_runs_past_1200_characters(answers, capsys):
    details = [(len(card["detail"]), n, card["summary"]) for n, (_, cards) in enumerate(answers, 1) for card in cards]
    longest = max(details)
    with capsys.disabled():
        print(f"\nThe longest card detail: {longest[0]} characters (scenario {longest[1]}, {longest[2]!r})")
    assert longest[0] <= DETAIL_LIMIT


def test_every_key_point_on_a_card_is_worded_and_figured_as_on_the_result_page_for_the_same_features(client, answers):
    checked = 0
    for scenario, cards in answers:
        for card in cards:
            query = dict(parse_qsl(urlsplit(card["links"][0]["url"]).query))
            # The form asks the antimalarial history, which no record gives, and a subtype the record may not give;
            # any answers keep the safety figures.
            page = page_text(client.get("/result/", {"antimalarial_status": "refractory", "subtype": "other", **query}))
            for topic, line in KEY_POINT_LINE.findall(card["detail"]):
                if topic == "Fit":
                    continue  # the fit with an antimalarial history given is another sentence, and has no figure
                for words in CITATION.sub("", line.replace("\\", "")).split("; "):
                    assert words in page, (scenario.shows, words)
                    checked += 1
    assert checked > 100
