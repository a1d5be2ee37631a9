"""Icon arrays and the forest plot say in words exactly what they draw."""

import math
import re
from decimal import Decimal
from html import unescape

import pytest

from cledss.clinical.assess import assess
from cledss.clinical.body_of_evidence import Outcome, Role
from cledss.clinical.visuals import DoseChart, ForestPlot, IconArray, icon_array
from cledss.web import graphics
from tests.support import patient


def visuals(snapshot, subtype="scle"):
    return [v for s in assess(patient(subtype), snapshot).sections for v in s.visuals]


def test_icon_arrays_cover_response_and_paraesthesia_but_not_the_pooled_relapse_rates(snapshot):
    titles = [str(v.title) for v in visuals(snapshot) if isinstance(v, IconArray)]
    assert titles == [
        "Clinical response",
        "Complete response",
        "Paraesthesia",
    ]


def test_icon_array_counts_come_from_the_source_counts(snapshot):
    arrays = {str(v.title): v for v in visuals(snapshot) if isinstance(v, IconArray)}
    assert arrays["Clinical response"].filled == 98
    assert arrays["Complete response"].filled == 85
    assert arrays["Paraesthesia"].filled == 18


@pytest.mark.parametrize("outcome, text", [(Outcome.RESPONSE, "58/59 (98%)"), (Outcome.PARAESTHESIA, "11/60 (18%)")])
def test_text_alternative_states_the_same_counts_as_the_finding(snapshot, outcome, text):
    finding = snapshot.first(outcome, role=Role.PRIMARY)
    array = icon_array("x", finding)
    assert text in str(array.description)
    assert f"{array.filled} of 100 people" in str(array.description)
    blocks = graphics.icon_blocks(array)
    assert sum(block.people for block in blocks if block.affected) == array.filled
    assert sum(block.people for block in blocks) == 100


def expected_x(value):
    decades = math.log10(1000) - math.log10(0.1)
    return graphics.PLOT_LEFT + graphics.PLOT_WIDTH * (math.log10(value) + 1) / decades


@pytest.mark.parametrize("subtype, lower, estimate, upper", [("scle", 5.82, 30, 154.63), ("dle", 1.36, 5.71, 24.06)])
def test_forest_plot_ci_ends_sit_at_their_log_scale_positions(snapshot, subtype, lower, estimate, upper):
    plot = next(v for v in visuals(snapshot, subtype) if isinstance(v, ForestPlot))
    [row] = graphics.forest_rows(plot)
    assert row.lower == pytest.approx(expected_x(lower), abs=0.01)
    assert row.estimate == pytest.approx(expected_x(estimate), abs=0.01)
    assert row.upper == pytest.approx(expected_x(upper), abs=0.01)
    assert graphics.log_x(Decimal(1)) == pytest.approx(graphics.PLOT_LEFT + graphics.PLOT_WIDTH / 4)


def test_remission_and_relapse_are_never_drawn_on_one_axis(snapshot):
    """SCLE's remission estimate (good) and DLE's relapse estimate (bad) each get their own plot, titled with
    their outcome and comparator, and only the patient's own subtype is drawn."""
    [scle] = [v for v in visuals(snapshot, "scle") if isinstance(v, ForestPlot)]
    [dle] = [v for v in visuals(snapshot, "dle") if isinstance(v, ForestPlot)]
    assert str(scle.title) == "Odds ratio of long-term remission after stopping: Subacute CLE (SCLE) against the study's patients with other subtypes"
    assert str(dle.title) == "Odds ratio of relapse: Discoid LE (DLE) against the study's patients with other subtypes"
    assert [row.finding.outcome for row in scle.rows] == ["long_term_remission"]
    assert [row.finding.outcome for row in dle.rows] == ["relapse"]


@pytest.mark.parametrize("subtype", ["tumidus", "chilblain", "acle", "profundus", "other"])
def test_a_subtype_without_an_estimate_gets_no_forest_plot(snapshot, subtype):
    assert not [v for v in visuals(snapshot, subtype) if isinstance(v, ForestPlot)]


def test_rendered_svgs_carry_their_numbers_in_title_and_desc(client, seeded):
    html = client.get("/result/", {"subtype": "dle", "antimalarial_status": "refractory"}).content.decode()
    descriptions = [unescape(d) for d in re.findall(r"<desc id=\"[^\"]+\">([^<]+)</desc>", html)]
    assert any("58/59 (98%), drawn as 98 of 100 people" in d for d in descriptions)
    assert any("odds ratio 5.71 (95% CI 1.36 to 24.06), against the study's patients with other subtypes" in d for d in descriptions)
    assert not any("5.82" in d for d in descriptions)
    assert html.count('role="img"') == 5  # with the dose chart, drawn whether or not the dose is known
    # 98 of 100 drawn with repeated patterns: a few rectangles, not a circle per person.
    assert html.count("<circle") == 2 * 3 and html.count("data-affected") >= 3


@pytest.mark.parametrize("filled", range(0, 101))
def test_icon_blocks_draw_every_count_from_0_to_100_exactly(snapshot, filled):
    array = IconArray("x", snapshot.first(Outcome.RESPONSE, role=Role.PRIMARY), filled)
    blocks = graphics.icon_blocks(array)
    assert sum(b.people for b in blocks if b.affected) == filled
    assert sum(b.people for b in blocks if not b.affected) == 100 - filled


def dose_chart(snapshot, **given) -> DoseChart:
    [chart] = [v for s in assess(patient(**given), snapshot).sections for v in s.visuals if isinstance(v, DoseChart)]
    return chart


def test_the_dose_chart_draws_bastuji_garins_relative_risks_with_the_reference_at_1(snapshot):
    chart = dose_chart(snapshot)
    assert [(str(b.label), b.ratio) for b in chart.bands] == [
        ("up to 50 mg/day", 1), ("over 50 to 75 mg/day", Decimal("8.2")), ("over 75 mg/day", Decimal("20.2")),
    ]
    assert chart.patient_band is None
    assert str(chart.description) == (
        "Relative risk of neuropathy by daily dose, Bastuji-Garin et al. 2002: up to 50 mg/day: 1, the reference; "
        "over 50 to 75 mg/day: 8.2; over 75 mg/day: 20.2."
    )


@pytest.mark.parametrize("dose, band", [(25, "up to 50 mg/day"), (60, "over 50 to 75 mg/day"), (150, "over 75 mg/day")])
def test_the_dose_chart_marks_the_patients_band_in_the_drawing_and_in_words(snapshot, dose, band):
    chart = dose_chart(snapshot, daily_dose_mg=dose)
    assert str(chart.patient_band.label) == band
    assert str(chart.description).endswith(f"This patient's {dose} mg/day is in the band {band}.")
    assert [row.highlighted for row in graphics.dose_rows(chart)] == [b == chart.patient_band for b in chart.bands]


def test_dose_chart_bars_end_at_their_log_scale_positions(snapshot):
    rows = graphics.dose_rows(dose_chart(snapshot))
    decades = 2  # 1 to 100: the power of ten above 20.2
    for row, ratio in zip(rows[1:], (8.2, 20.2), strict=True):
        assert graphics.DOSE_LEFT + row.width == pytest.approx(
            graphics.DOSE_LEFT + graphics.DOSE_WIDTH * math.log10(ratio) / decades, abs=0.01
        )
    assert [label for _, label in graphics.dose_ticks(dose_chart(snapshot))] == ["1", "10", "100"]


def test_the_rendered_dose_chart_has_a_text_alternative_and_no_inline_style(client, seeded):
    html = client.get("/result/", {"subtype": "scle", "antimalarial_status": "refractory", "daily_dose_mg": "150"}).content.decode()
    chart = html[html.index('<figure class="evidence-picture evidence-dose">'):]
    chart = chart[: chart.index("</figure>")]
    assert "style=" not in chart and "<script" not in chart
    desc = unescape(re.search(r"<desc id=\"[^\"]+\">([^<]+)</desc>", chart).group(1))
    assert "over 50 to 75 mg/day: 8.2; over 75 mg/day: 20.2." in desc
    assert "This patient's 150 mg/day is in the band over 75 mg/day." in desc
    assert chart.count("dose-row-highlighted") == 1 and "20.2 (this patient)" in chart


def visible_words(figure: str) -> str:
    """What a sighted reader sees of a figure: its SVG's text elements and its caption, not its title or desc."""
    drawn = re.findall(r"<text[^>]*>([^<]*)</text>", figure)
    caption = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", figure, re.S)
    return unescape(" ".join([*drawn, *(re.sub(r"<[^>]+>", " ", c) for c in caption)]))


@pytest.mark.parametrize(
    "subtype, outcome, other",
    [("scle", "long-term remission after stopping", "relapse"), ("dle", "relapse", "remission")],
)
def test_each_odds_ratio_figures_visible_text_names_its_outcome_and_direction(client, seeded, subtype, outcome, other):
    html = client.get("/result/", {"subtype": subtype, "antimalarial_status": "refractory"}).content.decode()
    [figure] = re.findall(r'<figure class="evidence-picture evidence-forest">.*?</figure>', html, re.S)
    words = visible_words(figure)
    assert f"Odds ratio of {outcome} (log scale)" in words  # the axis
    assert f"higher odds of {outcome} →" in words and "← lower odds" in words
    # The caption: which outcome, in whom against whom.
    assert f"Odds ratio of {outcome}: " in words and "against the study's patients with other subtypes" in words
    assert other not in words
