"""Every published thalidomide cohort in CLE side by side, each cell as its source reports it."""

import html as markup
import re

from cledss.clinical.assess import assess
from tests.support import page_text, patient

COHORTS = [
    "cortes-hernandez-2012", "knop-1983", "dle-series-2000", "ordi-ros-2000", "housman-2003", "briani-2005",
    "cuadrado-2005", "yuki-2021", "j-dermatolog-treat-cohort", "chasset-2018",
]


def test_the_table_lists_the_nine_cohorts_then_the_meta_analysis(snapshot):
    rows = assess(patient("scle", "refractory"), snapshot).cohorts
    assert [row.source.key for row in rows] == COHORTS
    assert rows[0].source.role == "primary" and rows[-1].source.role == "pooled"
    assert all(row.source.pmid or row.source.doi for row in rows)


def test_cells_are_as_printed_with_the_curators_notes(snapshot):
    rows = {row.source.key: row for row in assess(patient("dle", "refractory"), snapshot).cohorts}
    assert [str(f.figure) for f in rows["knop-1983"].response] == ["54/60 (90%)"]
    assert [str(f.figure) for f in rows["knop-1983"].relapse] == ["30/41 (71%)"]
    assert [str(f.figure) for f in rows["j-dermatolog-treat-cohort"].partial_response] == ["4/24 (27%)"]
    assert "4/24 is 17%" in rows["j-dermatolog-treat-cohort"].partial_response[0].curator_note
    assert [str(f.figure) for f in rows["ordi-ros-2000"].relapse] == ["9 (65%)"]
    assert "may overlap" in rows["ordi-ros-2000"].source.population


def test_cohorts_that_include_the_patients_subtype_are_marked(snapshot):
    rows = {row.source.key: row.includes_subtype for row in assess(patient("dle", "refractory"), snapshot).cohorts}
    assert {key for key, marked in rows.items() if marked} == {
        "cortes-hernandez-2012", "knop-1983", "dle-series-2000", "ordi-ros-2000", "cuadrado-2005",
    }


def test_the_page_shows_the_table_with_its_notes_and_numbered_citations(client, seeded):
    response = client.get("/result/", {"subtype": "dle", "antimalarial_status": "refractory"})
    html, text = response.content.decode(), page_text(response)
    table = html.split('id="cohorts-heading"')[1].split("</details>")[0]
    assert table.count("<tr") == 1 + len(COHORTS)
    assert table.count("includes this patient's subtype") == 5
    for figure in ("54/60 (90%)", "30/41 (71%)", "4/24 (27%)", "9 (65%)", "24/24 (100%)"):
        assert figure in table
    assert "The abstract prints the partial response as '4 (27%)'; 4/24 is 17%." in text
    references = dict(re.findall(r'<li id="(r\d+)">(.*?)</li>', html, re.S))
    for number in re.findall(r'<th scope="row">.*?<a class="cite" href="#(r\d+)">', table, re.S):
        assert number in references


def test_a_patient_outside_the_study_population_gets_no_cohort_figures(client, seeded):
    text = page_text(client.get("/result/", {"subtype": "scle", "antimalarial_status": "not_tried"}))
    assert "All cohorts side by side" not in text and "54/60" not in text


def page_text_of(fragment: str) -> str:
    return " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def cohort_rows(snapshot, subtype="dle"):
    return {row.source.key: row for row in assess(patient(subtype, "refractory"), snapshot).cohorts}


def test_each_figure_carries_what_its_source_counted_and_when(client, seeded):
    """Time frames and qualifiers the abstracts give are shown under their figures, not dropped."""
    html = client.get("/result/", {"subtype": "dle", "antimalarial_status": "refractory"}).content.decode()
    table = page_text_of(html.split('id="cohorts-heading"')[1].split("</details>")[0])
    for shown in (
        "21/23 (91%) Complete or partial response within 8 weeks.",  # Housman
        "73% Relapse 3 to 24 weeks after thalidomide was withdrawn.",  # J Dermatolog Treat
        "9/30 (30%) Most of these patients did not recover completely.",
        "54.5% Complete response; a further 22.7% responded partially.",  # the DLE series
        "Stopped for adverse effects: 13.6% Withdrawn for intolerance.",
        "12/16 (75%) Complete response among the responders.",  # Ordi-Ros
    ):
        assert shown in table


def test_neuropathy_figures_say_whose_nerves_were_tested_as_stored(snapshot):
    rows = cohort_rows(snapshot)
    marks = {
        key: [str(f.nerve_testing.label) for f in row.neuropathy if f.nerve_testing.label] for key, row in rows.items()
    }
    assert marks["cortes-hernandez-2012"] == ["nerves tested only in patients with symptoms"]
    assert marks["knop-1983"] == ["symptoms only, no nerve tests"]
    assert marks["briani-2005"] == marks["yuki-2021"] == marks["cuadrado-2005"] == ["every patient's nerves tested"]
    # Where the abstract does not say how neuropathy was found, nothing is marked.
    assert marks["j-dermatolog-treat-cohort"] == marks["chasset-2018"] == marks["dle-series-2000"] == []


def test_the_page_marks_symptom_led_neuropathy_figures_beside_the_screened_ones(client, seeded):
    html = client.get("/result/", {"subtype": "scle", "antimalarial_status": "refractory"}).content.decode()
    table = page_text_of(html.split('id="cohorts-heading"')[1].split("</details>")[0])
    assert "5/11 (45%) nerves tested only in patients with symptoms" in table
    assert "25% symptoms only, no nerve tests Polyneuritic symptoms" in table
    assert "10/14 (71.4%) every patient's nerves tested" in table
    assert "13/48 (27%) every patient's nerves tested" in table


def test_ordi_ros_marks_itself_for_other_or_mixed_cle(snapshot):
    rows = cohort_rows(snapshot, "other")
    assert [key for key, row in rows.items() if row.includes_subtype] == ["ordi-ros-2000"]
    assert "2 other" in rows["ordi-ros-2000"].source.population


def test_adverse_events_are_named_as_their_sources_name_them(client, seeded, snapshot):
    rows = cohort_rows(snapshot)
    named = {key: [(f.outcome.label.message, str(f.figure)) for f in row.adverse_events] for key, row in rows.items()}
    assert named["j-dermatolog-treat-cohort"] == [("arterial stent thrombosis", "1/30 (3%)")]
    assert named["cortes-hernandez-2012"] == [
        ("stopped for adverse effects", "1/60 (2%)"), ("cerebral ischaemic events", "2/60 (3%)"),
    ]
    assert named["chasset-2018"] == [
        ("stopped for adverse effects", "24% (95% CI 14% to 35%)"), ("thromboembolic events", "2% (95% CI 1% to 3%)"),
    ]
    html = client.get("/result/", {"subtype": "dle", "antimalarial_status": "refractory"}).content.decode()
    table = page_text_of(html.split('id="cohorts-heading"')[1].split("</details>")[0])
    assert "Arterial stent thrombosis: 1/30 (3%) One of the 30 patients had an arterial stent thrombosis." in table
    assert "Cerebral ischaemic events: 2/60 (3%)" in table


def test_each_cohorts_follow_up_is_given_with_its_population(client, seeded):
    html = client.get("/result/", {"subtype": "scle", "antimalarial_status": "refractory"}).content.decode()
    table = page_text_of(html.split('id="cohorts-heading"')[1].split("</details>")[0])
    assert "Thalidomide 100 mg/day. Follow-up: up to 8 years (2-18)." in table
    assert "Follow-up: up to 24 months." in table and "Follow-up: 1 year." in table
