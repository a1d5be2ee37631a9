"""Curated evidence text reads in Spanish on Spanish pages: every field with a Spanish twin is translated,
numbers keep their figures with the decimal comma, and no English intervention or follow-up is left."""

import re

import pytest

from cledss.clinical.features import AntimalarialStatus, Subtype
from tests.support import page_text

SPANISH_TWINS = {
    "study": ("short", "design", "population", "intervention", "follow_up", "certainty_reason"),
    "finding": ("statement", "comparator", "curator_note", "certainty_reason"),
}


def curated_items(seed_records):
    for study in seed_records:
        yield "study", study
        for finding in study["findings"]:
            yield "finding", finding


def test_every_curated_field_with_a_spanish_twin_is_translated_wherever_it_has_english(seed_records):
    missing = [
        (item["key"], name)
        for kind, item in curated_items(seed_records)
        for name in SPANISH_TWINS[kind]
        if item[name] and not item[f"{name}_es"]
    ]
    assert missing == []


def test_spanish_curated_text_writes_decimals_with_a_comma(seed_records):
    decimal_points = [
        text
        for kind, item in curated_items(seed_records)
        for name in SPANISH_TWINS[kind]
        if re.search(r"\d\.\d|= \.\d", text := item[f"{name}_es"])
    ]
    assert decimal_points == []


def test_the_dle_series_partial_response_keeps_its_figure_in_spanish(seed_records):
    [series] = [s for s in seed_records if s["key"] == "dle-series-2000"]
    [complete] = [f for f in series["findings"] if f["key"] == "complete-response"]
    assert "22.7%" in complete["statement"] and "22,7%" in complete["statement_es"]


@pytest.mark.parametrize("subtype", list(Subtype))
@pytest.mark.parametrize("status", list(AntimalarialStatus))
def test_no_english_intervention_or_follow_up_on_a_spanish_result_page(client, seeded, seed_records, subtype, status):
    text = page_text(client.get("/es/result/", {"subtype": subtype.value, "antimalarial_status": status.value}))
    fields = ("intervention", "follow_up")
    english = {study[name] for study in seed_records for name in fields if study[name] != study[f"{name}_es"]}
    # Each is shown as a sentence of its own; "Low-dose thalidomide" alone also begins an English page title.
    assert [phrase for phrase in english if f"{phrase}." in text] == []


def test_a_spanish_cohorts_table_gives_each_intervention_and_follow_up_in_spanish(client, seeded):
    text = page_text(client.get("/es/result/", {"subtype": "dle", "antimalarial_status": "refractory"}))
    assert "Talidomida 100 mg/día." in text and "Talidomida 100 mg/día y después 50-25 mg/día." in text
    assert "hasta 8 años (2-18)" in text
