"""Icon arrays and the forest plot say in words exactly what they draw."""

import math
import re
from decimal import Decimal

import pytest

from cledss.assessment import graphics
from cledss.clinical.assess import assess
from cledss.clinical.evidence import Outcome, Role
from cledss.clinical.visuals import ForestPlot, IconArray, icon_array
from tests.support import patient


def visuals(snapshot, subtype="scle"):
    return [v for s in assess(patient(subtype), snapshot).sections for v in s.visuals]


def test_icon_arrays_cover_response_relapse_and_paraesthesia(snapshot):
    titles = [str(v.title) for v in visuals(snapshot) if isinstance(v, IconArray)]
    assert titles == [
        "Clinical response",
        "Complete response",
        "Relapse after withdrawal",
        "Relapse with a maintenance dose",
        "Paraesthesia",
    ]


def test_icon_array_counts_come_from_the_source_counts(snapshot):
    arrays = {str(v.title): v for v in visuals(snapshot) if isinstance(v, IconArray)}
    assert arrays["Clinical response"].filled == 98
    assert arrays["Complete response"].filled == 85
    assert arrays["Relapse after withdrawal"].filled == 71
    assert arrays["Relapse with a maintenance dose"].filled == 34
    assert arrays["Paraesthesia"].filled == 18


@pytest.mark.parametrize("outcome, text", [(Outcome.RESPONSE, "58/59 (98%)"), (Outcome.PARAESTHESIA, "11/60 (18%)")])
def test_text_alternative_states_the_same_counts_as_the_finding(snapshot, outcome, text):
    finding = snapshot.first(outcome, role=Role.PRIMARY)
    array = icon_array("x", finding)
    assert text in str(array.description)
    assert f"{array.filled} of 100 people" in str(array.description)
    assert sum(person.affected for person in graphics.people(array)) == array.filled


def test_forest_plot_ci_ends_sit_at_their_log_scale_positions(snapshot):
    plot = next(v for v in visuals(snapshot) if isinstance(v, ForestPlot))
    rows = graphics.forest_rows(plot)
    decades = math.log10(1000) - math.log10(0.1)

    def expected(value):
        return graphics.PLOT_LEFT + graphics.PLOT_WIDTH * (math.log10(value) + 1) / decades

    scle, dle = rows
    assert scle.lower == pytest.approx(expected(5.82), abs=0.01)
    assert scle.estimate == pytest.approx(expected(30), abs=0.01)
    assert scle.upper == pytest.approx(expected(154.63), abs=0.01)
    assert dle.lower == pytest.approx(expected(1.36), abs=0.01)
    assert dle.upper == pytest.approx(expected(24.06), abs=0.01)
    assert graphics.log_x(Decimal(1)) == pytest.approx(graphics.PLOT_LEFT + graphics.PLOT_WIDTH / 4)


def test_forest_plot_highlights_the_patients_subtype(snapshot):
    plot = next(v for v in visuals(snapshot, "dle") if isinstance(v, ForestPlot))
    assert [row.highlighted for row in plot.rows] == [False, True]


def test_rendered_svgs_carry_their_numbers_in_title_and_desc(client, seeded):
    html = client.get("/result/", {"subtype": "dle", "antimalarial_status": "refractory"}).content.decode()
    descriptions = re.findall(r"<desc id=\"[^\"]+\">([^<]+)</desc>", html)
    assert any("58/59 (98%), drawn as 98 of 100 people" in d for d in descriptions)
    assert any("odds ratio 5.71 (95% CI 1.36 to 24.06)" in d and "odds ratio 30 (95% CI 5.82 to 154.63)" in d for d in descriptions)
    assert html.count('role="img"') == 6
