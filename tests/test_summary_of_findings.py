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
        "Confirmed peripheral neuropathy", "Thromboembolic events", "Stopped for adverse effects",
    ]


def test_summary_table_shows_certainty_for_each_figure(client, seeded):
    text = page_text(client.get("/result/", {"subtype": "scle", "antimalarial_status": "refractory"}))
    assert "Primary study: Cortés-Hernández et al. 2012 [ 1 ]" in text
    assert "Clinical response 58/59 (98%) Certainty: low" in text
    assert "90% (95% CI 85% to 94%) Certainty: very low" in text
