"""Every published thalidomide cohort in CLE side by side, each cell as its source reports it."""

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
    for number in re.findall(r'<th scope="row">.*?<a href="#(r\d+)">', table, re.S):
        assert number in references


def test_a_patient_outside_the_study_population_gets_no_cohort_figures(client, seeded):
    text = page_text(client.get("/result/", {"subtype": "scle", "antimalarial_status": "not_tried"}))
    assert "All cohorts side by side" not in text and "54/60" not in text
