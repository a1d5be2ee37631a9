from cledss.clinical.assess import assess
from tests.support import page_text, patient


def test_summary_puts_the_study_beside_the_meta_analysis(snapshot):
    summary = assess(patient(), snapshot).summary
    rows = {str(row.outcome): row for row in summary.rows}
    assert str(rows["Clinical response"].study.figure) == "58/59 (98%)"
    assert str(rows["Clinical response"].pooled.figure) == "90% (95% CI 85% to 94%)"
    assert str(rows["Relapse after stopping or reducing"].pooled.figure) == "71% (95% CI 65% to 77%)"
    assert rows["Relapse with a maintenance dose"].study is None
    # 5 of the 11 with paraesthesia is not a rate among all patients: it is not set beside the pooled 16%.
    assert rows["Confirmed peripheral neuropathy"].study is None
    assert "Not comparable" in str(rows["Confirmed peripheral neuropathy"].study_note)
    assert str(rows["Confirmed peripheral neuropathy"].pooled.figure) == "16% (95% CI 9% to 25%)"
    assert summary.study.key == "cortes-hernandez-2012"
    assert summary.pooled.key == "chasset-2018"
    assert all(row.study is None or row.study.source == summary.study for row in summary.rows)


def test_patient_outside_the_population_gets_only_the_safety_rows(snapshot):
    summary = assess(patient(antimalarial_status="not_tried"), snapshot).summary
    assert [str(row.outcome) for row in summary.rows] == [
        "Confirmed peripheral neuropathy", "Thromboembolic events", "Cerebral ischaemic events",
        "Stopped for adverse effects",
    ]


def test_each_figure_sits_on_the_row_of_the_outcome_its_source_named(snapshot):
    """The primary study reported 2/60 cerebral ischaemic events, not thromboembolic events: the pooled 2% of
    thromboembolic events and the study's 2/60 are on rows of their own, never on one row."""
    rows = {str(row.outcome): row for row in assess(patient(), snapshot).summary.rows}
    assert str(rows["Cerebral ischaemic events"].study.figure) == "2/60 (3%)"
    assert rows["Cerebral ischaemic events"].pooled is None
    assert rows["Thromboembolic events"].study is None
    assert str(rows["Thromboembolic events"].pooled.figure) == "2% (95% CI 1% to 3%)"
    assert all(row.study is None for name, row in rows.items() if "thromboembolic" in name.lower())


def test_summary_table_shows_certainty_for_each_figure(client, seeded):
    text = page_text(client.get("/result/", {"subtype": "scle", "antimalarial_status": "refractory"}))
    assert "Primary study: Cortés-Hernández et al. 2012 [ 1 ]" in text
    assert "Clinical response 58/59 (98%) Certainty: low" in text
    assert "90% (95% CI 85% to 94%) Certainty: very low" in text


def test_the_table_names_the_2_of_60_as_cerebral_ischaemic_events_and_gives_the_studys_follow_up(client, seeded):
    html = client.get("/result/", {"subtype": "tumidus", "antimalarial_status": "not_tried"}).content.decode()
    table = html.split('id="summary"')[1].split("</table>")[0]
    [row] = [r for r in table.split("<tr>") if "2/60" in r]
    assert '<th scope="row">Cerebral ischaemic events</th>' in row and "hromboembolic" not in row
    assert "Follow-up: up to 8 years (2-18)." in table
