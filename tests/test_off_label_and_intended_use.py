"""The page, the PDF and the API say plainly that thalidomide is off-label in CLE and what cledss is for."""

import pytest

from tests.support import page_text, pdf_pages

OFF_LABEL = "Thalidomide is not licensed for CLE."
INTENDED_USE = "it does not recommend, prescribe or dose"


@pytest.mark.parametrize("status", ["refractory", "not_tried"])
def test_page_and_pdf_say_thalidomide_is_off_label_and_what_cledss_is_for(client, seeded, status):
    query = {"subtype": "tumidus", "antimalarial_status": status}
    for text in (page_text(client.get("/result/", query)), " ".join(pdf_pages(client.get("/result/pdf/", query)))):
        assert OFF_LABEL in text
        assert "multiple myeloma" in text and "erythema nodosum leprosum" in text
        assert INTENDED_USE in text and "small cohorts without a control group" in text


def test_the_api_answer_carries_the_off_label_statement_and_the_intended_use(client, seeded):
    body = client.get("/api/assessment", {"subtype": "scle", "antimalarial_status": "refractory"}).json()
    assert INTENDED_USE in body["intended_use"]
    off_label = next(s for s in body["applicability"]["statements"] if OFF_LABEL in s["text"])
    assert off_label["certainty"] == "regulatory" and off_label["sources"] == ["thalidomide-label"]
