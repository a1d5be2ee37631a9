from cledss.clinical.assess import assess
from tests.support import page_text, patient


def test_summary_puts_the_study_beside_the_meta_analysis(snapshot):
    rows = {str(row.outcome): row for row in assess(patient(), snapshot).summary}
    assert str(rows["Clinical response"].study.figure) == "58/59 (98%)"
    assert str(rows["Clinical response"].pooled.figure) == "90% (95% CI 85% to 94%)"
    assert str(rows["Relapse after stopping or reducing"].pooled.figure) == "71% (95% CI 65% to 77%)"
    assert rows["Relapse with a maintenance dose"].study is None
    assert str(rows["Confirmed peripheral neuropathy"].study.figure) == "5/60 (8%)"


def test_patient_outside_the_population_gets_no_summary_table(snapshot):
    assert assess(patient(antimalarial_status="not_tried"), snapshot).summary == ()


def test_summary_table_shows_certainty_for_each_figure(client, seeded):
    text = page_text(client.get("/result/", {"subtype": "scle", "antimalarial_status": "refractory"}))
    assert "Clinical response 58/59 (98%) Certainty: low" in text
    assert "90% (95% CI 85% to 94%) Certainty: very low" in text
