"""This patient's daily dose, months on thalidomide and sural SNAP amplitudes, placed on the neuropathy evidence.

The core is tested on the seed evidence without the database; the page and the PDF with the test client.
"""

import re
from dataclasses import replace
from decimal import Decimal
from html import unescape

import pytest

from cledss.clinical.assess import assess
from cledss.clinical.assess.exposure import LONG_TREATMENT_MONTHS, SNAP_CRITERION, cohort_doses
from cledss.clinical.body_of_evidence import EvidenceSnapshot, Role
from cledss.clinical.stats import cumulative_grams
from cledss.clinical.visuals import DoseChart
from tests.support import page_text, patient, pdf_pages

SCLE = "subtype=scle&antimalarial_status=refractory"
PATIENT_150_MG_8_MONTHS = f"{SCLE}&daily_dose_mg=150&months_on_thalidomide=8"


# Statements of the monitoring section that have a short form whatever the patient's values.
ALWAYS_SUMMARISED = {"neuropathy_warning", "paraesthesia", "neuropathy_confirmed"}


def placed(evidence, **given):
    """The statements that place this patient: those of the monitoring section with a short form, less the
    label warning and how often neuropathy was found, which every patient's key points carry."""
    statements = assess(patient(**given), evidence).section("monitoring").statements
    always = [bool(s.findings) and {f.outcome for f in s.findings} <= ALWAYS_SUMMARISED for s in statements]
    return [s for s, every_patients in zip(statements, always, strict=True) if s.summary and not every_patients]


def texts(evidence, **given) -> str:
    return " ".join(s.text for s in placed(evidence, **given))


def with_bands(snapshot, changes: dict) -> EvidenceSnapshot:
    """The seed evidence with some of Bastuji-Garin's band findings changed, as a curator might correct them."""
    return EvidenceSnapshot(
        snapshot.version,
        tuple(
            replace(f, **changes[f.key]) if f.source.key == "bastuji-garin-2002" and f.key in changes else f
            for f in snapshot.findings
        ),
    )


REFERENCE = "reference band of Bastuji-Garin et al. 2002"
RATIOS_ABOVE = "relative risk 8.2 over 50 to 75 mg/day and 20.2 over 75"
NONE_AT_25 = "Bastuji-Garin et al. saw no neuropathy at a daily dose of 25 mg or less."


@pytest.mark.parametrize(
    "dose, band, figure",
    [
        (26, "reference band of Bastuji-Garin et al. 2002", "relative risk 8.2 over 50 to 75 mg/day and 20.2 over 75"),
        (50, "reference band of Bastuji-Garin et al. 2002", "relative risk 8.2 over 50 to 75 mg/day and 20.2 over 75"),
        (60, "band over 50 to 75 mg/day", "relative risk 8.2, against a daily dose of 50 mg or less"),
        (75, "band over 50 to 75 mg/day", "relative risk 8.2, against a daily dose of 50 mg or less"),
        (76, "band over 75 mg/day", "relative risk 20.2, against a daily dose of 50 mg or less"),
        (150, "band over 75 mg/day", "relative risk 20.2, against a daily dose of 50 mg or less"),
    ],
)
def test_each_daily_dose_is_placed_in_the_band_bastuji_garin_reported(snapshot, dose, band, figure):
    statement = placed(snapshot, daily_dose_mg=dose)[0]
    assert f"At {dose} mg/day this patient is in the {band}" in statement.text
    assert figure in statement.text
    assert {s.key for s in statement.sources} == {"bastuji-garin-2002"}


@pytest.mark.parametrize("dose", [1, 20, 25])
def test_at_25_mg_or_less_the_band_is_still_the_reference_and_the_observation_is_told_apart(snapshot, dose):
    """Bastuji-Garin's bands are relative to 50 mg/day or less; "none at 25 mg/day or less" is an observation."""
    band, observation = placed(snapshot, daily_dose_mg=dose)
    assert f"At {dose} mg/day this patient is in the {REFERENCE}" in band.text and "up to 50 mg/day" in band.text
    assert "up to 25 mg/day" not in band.text and RATIOS_ABOVE in band.text
    assert observation.text.startswith(
        f"Apart from its bands, Bastuji-Garin et al. 2002 made an observation that covers this patient's {dose} mg/day: "
        f"{NONE_AT_25}"
    )
    assert [f.key for f in observation.findings] == ["daily-dose-up-to-25"]
    assert str(observation.summary) == f"{dose} mg/day: {NONE_AT_25}"


def test_the_observation_is_not_told_above_the_doses_it_covers(snapshot):
    [band] = placed(snapshot, daily_dose_mg=26)
    assert NONE_AT_25 not in band.text


def test_the_chart_marks_the_band_the_statement_names(snapshot):
    monitoring = assess(patient(daily_dose_mg=25), snapshot).section("monitoring")
    [chart] = [v for v in monitoring.visuals if isinstance(v, DoseChart)]
    assert chart.patient_band.reference and str(chart.patient_band.label) == "up to 50 mg/day"
    assert "This patient's 25 mg/day is in the band up to 50 mg/day." in str(chart.description)
    assert all(not b.holds(25) or b is chart.patient_band for b in chart.bands)


@pytest.mark.parametrize("dose", [101, 150, 400])
def test_above_100_mg_the_doses_the_cle_cohorts_used_are_set_beside_the_patients(snapshot, dose):
    statement = next(s for s in placed(snapshot, daily_dose_mg=dose) if "CLE cohorts" in s.text)
    assert statement.text.startswith(
        f"At {dose} mg/day this patient's daily dose is above those of the CLE cohorts: the cohorts that give their "
        "daily dose used 100 mg/day or less ("
    )
    assert "Ordi-Ros et al. 2000: Thalidomide 100 mg/day, then 50-25 mg/day" in statement.text
    cohorts = {"cortes-hernandez-2012", "cuadrado-2005", "housman-2003", "ordi-ros-2000"}
    assert {s.key for s in statement.sources} == cohorts
    assert str(statement.summary) == f"{dose} mg/day: above the 100 mg/day or less that the CLE cohorts used"


def test_the_cohorts_doses_read_the_same_from_their_spanish_interventions(snapshot, seed_records):
    spanish = EvidenceSnapshot.from_records(seed_records, version="seed", language="es")
    in_english = {source.key: dose for source, dose in cohort_doses(snapshot).items()}
    assert {source.key: dose for source, dose in cohort_doses(spanish).items()} == in_english
    assert set(in_english.values()) == {Decimal(100)}


@pytest.mark.parametrize("dose", [1, 75, 100])
def test_at_100_mg_or_less_nothing_is_said_of_the_cohorts_doses(snapshot, dose):
    assert "CLE cohorts" not in texts(snapshot, daily_dose_mg=dose)


def test_the_cohorts_doses_are_read_from_their_interventions_so_a_curators_correction_moves_them(snapshot):
    """Ordi-Ros's regimen rewritten to start at 150 mg: a patient on 120 mg/day is then within the cohorts' doses."""
    corrected = EvidenceSnapshot(snapshot.version, tuple(
        replace(f, source=replace(f.source, intervention="Thalidomide 150 mg/day, then 50-25 mg/day"))
        if f.source.key == "ordi-ros-2000" else f
        for f in snapshot.findings
    ))
    assert cohort_doses(corrected)[corrected.first_source(Role.PRIMARY)] == Decimal(100)
    assert max(cohort_doses(corrected).values()) == Decimal(150)
    assert "CLE cohorts" not in texts(corrected, daily_dose_mg=120)
    assert "used 150 mg/day or less" in texts(corrected, daily_dose_mg=151)


def test_the_band_statement_gives_the_studys_size_and_incidence_and_rests_on_them(snapshot):
    statement = placed(snapshot, daily_dose_mg=150)[0]
    assert "Bastuji-Garin et al. 2002 (135 patients; neuropathy in 25.2% of them)" in statement.text
    assert {f.key for f in statement.findings} == {"daily-dose-over-75", "neuropathy-incidence"}
    assert str(statement.summary) == (
        "150 mg/day: over 75 mg/day, relative risk of neuropathy 20.2 against ≤ 50 mg/day (Bastuji-Garin et al. 2002)"
    )


def test_the_bands_are_read_from_the_findings_so_a_curators_correction_moves_them(snapshot):
    corrected = with_bands(
        snapshot, {"daily-dose-50-75": {"daily_dose_up_to": Decimal(80)}, "daily-dose-over-75": {"daily_dose_above": Decimal(80)}}
    )
    [statement] = placed(corrected, daily_dose_mg=78)
    assert "band over 50 to 80 mg/day" in statement.text and "relative risk 8.2" in statement.text


def test_a_ratio_band_without_a_reference_band_names_its_comparator(snapshot):
    """Ratio bands that start at no dose leave no reference band to derive; the finding's comparator is named."""
    open_below = {
        "daily-dose-50-75": {"daily_dose_above": None},
        "daily-dose-over-75": {"daily_dose_above": None, "daily_dose_up_to": Decimal(400)},
    }
    corrected = with_bands(snapshot, open_below)
    [statement] = placed(corrected, daily_dose_mg=60)
    assert "against a daily dose of 50 mg or less (Bastuji-Garin et al. 2002)" in str(statement.summary)


def test_without_the_bands_no_dose_is_placed_in_one(snapshot):
    unbanded = EvidenceSnapshot(
        snapshot.version, tuple(replace(f, daily_dose_above=None, daily_dose_up_to=None) for f in snapshot.findings)
    )
    assert placed(unbanded, daily_dose_mg=50) == []
    assert "Bastuji-Garin" not in texts(unbanded, daily_dose_mg=150)


@pytest.mark.parametrize("months", [6, 8, 240])
def test_six_months_or_more_brings_yukis_duration_finding(snapshot, months):
    [statement] = placed(snapshot, months_on_thalidomide=months)
    assert f"This patient has taken thalidomide for {months} months." in statement.text
    assert "Yuki et al. found that treatment for 6 months or more predicted neuropathy (p = 0.025)." in statement.text
    assert [s.key for s in statement.sources] == ["yuki-2021"]


@pytest.mark.parametrize("months", [0, 5])
def test_less_than_six_months_alone_places_nothing(snapshot, months):
    assert placed(snapshot, months_on_thalidomide=months) == []


def test_the_cumulative_dose_is_computed_labelled_and_set_beside_both_sides(snapshot):
    statement = placed(snapshot, daily_dose_mg=75, months_on_thalidomide=8)[-1]
    assert statement.text.startswith(
        "Cumulative dose so far: about 18.3 g if the daily dose has been constant (75 mg/day for 8 months, a month "
        "counted as 30.44 days; computed by cledss). Yuki et al. found that the cumulative dose predicted neuropathy "
        "(p = 0.023). Briani et al. 2005 and Cuadrado et al. 2005 found no association between the cumulative dose "
        "and neuropathy; the conflicting evidence is set out below."
    )
    assert "may raise" not in statement.text
    assert {s.key for s in statement.sources} == {"yuki-2021", "briani-2005", "cuadrado-2005"}


def test_yukis_other_predictor_is_quoted_with_the_cumulative_dose_unless_already_placed(snapshot):
    """Yuki found both the cumulative dose (p = 0.023) and treatment for 6 months or more (p = 0.025) predicted it."""
    duration = "Yuki et al. found that treatment for 6 months or more predicted neuropathy (p = 0.025)."
    cumulative = placed(snapshot, daily_dose_mg=75, months_on_thalidomide=3)[-1]
    assert f"predicted neuropathy (p = 0.023). {duration}" in cumulative.text
    long_treatment, cumulative = placed(snapshot, daily_dose_mg=75, months_on_thalidomide=8)[-2:]
    assert duration in long_treatment.text and duration not in cumulative.text


def test_the_conflict_on_the_cumulative_dose_stays_beside_it(snapshot):
    monitoring = assess(patient(daily_dose_mg=150, months_on_thalidomide=8), snapshot).section("monitoring")
    [conflict] = [c for c in monitoring.conflicts if str(c.question) == "Cumulative dose"]
    assert {s.key for st in conflict.not_found for s in st.sources} == {"briani-2005", "cuadrado-2005"}


@pytest.mark.parametrize("dose, months, grams", [(150, 8, "36.5"), (100, 1, "3.0"), (25, 240, "182.6"), (400, 240, "2922.2")])
def test_a_month_counts_30_44_days(dose, months, grams):
    assert cumulative_grams(dose, months) == Decimal(grams)


def test_no_cumulative_dose_without_both_the_dose_and_time_on_treatment(snapshot):
    assert "Cumulative dose so far" not in texts(snapshot, daily_dose_mg=150)
    assert "Cumulative dose so far" not in texts(snapshot, daily_dose_mg=150, months_on_thalidomide=0)
    assert "Cumulative dose so far" not in texts(snapshot, months_on_thalidomide=8)


def test_the_snap_fall_is_computed_beside_brianis_criterion(snapshot):
    [statement] = placed(snapshot, snap_baseline_uv=Decimal(20), snap_now_uv=Decimal(8))
    assert statement.text.startswith(
        "The sural SNAP amplitude has fallen by 60% from baseline (20 to 8 µV; computed by cledss), at or above the "
        "50% fall that Briani et al. 2005 counted as neuropathy."
    )
    assert [f.key for f in statement.findings] == ["snap-criterion"]
    assert str(statement.summary) == "Sural SNAP fall of 60% (computed by cledss), at or above the 50% criterion of Briani et al. 2005"


def test_a_fall_just_short_of_the_criterion_is_never_shown_as_reaching_it(snapshot):
    [statement] = placed(snapshot, snap_baseline_uv=Decimal(20), snap_now_uv=Decimal("10.01"))
    assert "fallen by 49.9% from baseline" in statement.text and "below the 50% fall" in statement.text


def test_a_rise_is_not_called_a_fall(snapshot):
    [statement] = placed(snapshot, snap_baseline_uv=Decimal(10), snap_now_uv=Decimal(12))
    assert statement.text.startswith("The sural SNAP amplitude has not fallen from baseline (10 to 12 µV).")


def test_each_threshold_kept_in_the_core_is_still_what_its_finding_says(snapshot):
    duration, criterion = LONG_TREATMENT_MONTHS.find(snapshot), SNAP_CRITERION.find(snapshot)
    assert f"{LONG_TREATMENT_MONTHS.value} months or more" in duration.statement
    assert f"{SNAP_CRITERION.value}% or more" in criterion.statement


def test_every_placed_statement_has_a_short_form_with_its_figure(snapshot):
    statements = placed(
        snapshot, daily_dose_mg=60, months_on_thalidomide=8, snap_baseline_uv=Decimal(20), snap_now_uv=Decimal(8)
    )
    assert len(statements) == 4
    for statement, figure in zip(statements, ["8.2", "6 months", "14.6 g", "60%"], strict=True):
        assert figure in str(statement.summary) and len(str(statement.summary)) <= 115, statement.summary


def test_no_placed_statement_says_what_dose_to_give(snapshot):
    text = texts(snapshot, daily_dose_mg=150, months_on_thalidomide=8, snap_baseline_uv=Decimal(20), snap_now_uv=Decimal(8))
    for word in ("should", "recommend", "reduce", "lower the", "increase", "switch", "consider", "advis"):
        assert word not in text.lower()


def test_unknown_inputs_change_nothing(snapshot):
    assert assess(patient(), snapshot) == assess(patient(daily_dose_mg=None, months_on_thalidomide=None), snapshot)
    assert placed(snapshot) == []


def test_coasting_resolution_and_irreversibility_are_shown_whatever_the_dose(snapshot):
    for given in ({}, {"daily_dose_mg": 25}, {"daily_dose_mg": 150, "months_on_thalidomide": 8}):
        text = " ".join(s.text for s in assess(patient(**given), snapshot).section("monitoring").statements)
        assert "developed symptoms 1 to 3 months after thalidomide was stopped (coasting)" in text
        assert "symptoms resolved in 12 months (range 6 to 18 months) after thalidomide was withdrawn" in text
        assert "may not reverse in 25% of those who develop it" in text


# --- the page and the PDF -------------------------------------------------------------------

MUST_SHOW_150_MG_8_MONTHS = [
    "At 150 mg/day this patient is in the band over 75 mg/day of Bastuji-Garin et al. 2002",
    "relative risk 20.2, against a daily dose of 50 mg or less",
    "Yuki et al. found that treatment for 6 months or more predicted neuropathy (p = 0.025).",
    "Yuki et al. 2021",
    "Briani et al. found no correlation between neuropathy and the cumulative thalidomide dose",
    "Cuadrado et al. found no association between neuropathy and the starting or the cumulative dose.",
    "about 36.5 g if the daily dose has been constant",
    "a month counted as 30.44 days; computed by cledss",
    "(coasting)",
]


def test_the_page_places_the_150_mg_8_month_patient_on_the_evidence(client, seeded):
    response = client.get(f"/result/?{PATIENT_150_MG_8_MONTHS}")
    assert response.status_code == 200
    text = page_text(response)
    for expected in MUST_SHOW_150_MG_8_MONTHS:
        assert expected in text, expected
    inputs = text[text.index("Inputs used"):text.index("What cledss is for")]
    assert "Daily thalidomide dose 150 mg/day Months on thalidomide so far 8 months" in inputs


def test_the_full_evidence_pdf_places_the_150_mg_8_month_patient_on_the_evidence(client, seeded):
    response = client.get(f"/result/full-evidence/pdf/?{PATIENT_150_MG_8_MONTHS}")
    assert response.status_code == 200
    text = " ".join(pdf_pages(response)).replace("- ", "")  # words Typst hyphenated at a line's end, joined
    for expected in MUST_SHOW_150_MG_8_MONTHS:
        assert " ".join(expected.split()) in text, expected


def test_the_summary_pdf_gives_each_placement_in_its_short_form(client, seeded):
    text = " ".join(pdf_pages(client.get(f"/result/pdf/?{PATIENT_150_MG_8_MONTHS}")))
    for summary in (
        "150 mg/day: over 75 mg/day, relative risk of neuropathy 20.2 against ≤ 50 mg/day (Bastuji-Garin et al. 2002)",
        "150 mg/day: above the 100 mg/day or less that the CLE cohorts used",
        "8 months on thalidomide: treatment for 6 months or more predicted neuropathy (Yuki et al. 2021)",
        "About 36.5 g so far if 150 mg/day has been constant (computed by cledss)",
    ):
        assert summary in text, summary
    assert "Daily thalidomide dose: 150 mg/day" in text and "Months on thalidomide so far: 8 months" in text


@pytest.mark.parametrize(
    "dose, expected",
    [
        (50, "At 50 mg/day this patient is in the reference band of Bastuji-Garin et al. 2002"),
        (60, "At 60 mg/day this patient is in the band over 50 to 75 mg/day"),
        (25, "At 25 mg/day this patient is in the reference band of Bastuji-Garin et al. 2002"),
        (20, "Bastuji-Garin et al. saw no neuropathy at a daily dose of 25 mg or less."),
    ],
)
def test_the_page_shows_each_dose_in_its_band(client, seeded, dose, expected):
    text = page_text(client.get(f"/result/?{SCLE}&daily_dose_mg={dose}"))
    assert f"At {dose} mg/day this patient is in the" in text and expected in text


def test_the_page_shows_a_60_percent_snap_fall_beside_brianis_criterion(client, seeded):
    text = page_text(client.get(f"/result/?{SCLE}&snap_baseline_uv=20&snap_now_uv=8"))
    assert "fallen by 60% from baseline (20 to 8 µV; computed by cledss), at or above the 50% fall" in text
    assert "Sural SNAP amplitude at baseline 20 µV Sural SNAP amplitude now 8 µV" in text


def test_empty_optional_fields_give_the_same_page_as_none(client, seeded):
    bare = page_text(client.get(f"/result/?{SCLE}"))
    empty = page_text(client.get(f"/result/?{SCLE}&daily_dose_mg=&months_on_thalidomide=&snap_baseline_uv=&snap_now_uv="))
    assert empty == bare


def test_the_dose_charts_visible_caption_names_its_outcome_and_reference(client, seeded):
    html = client.get(f"/result/?{SCLE}&daily_dose_mg=25").content.decode()
    [caption] = re.findall(r'<figure class="evidence-picture evidence-dose">.*?<figcaption[^>]*>(.*?)</figcaption>', html, re.S)
    caption = " ".join(unescape(re.sub(r"<[^>]+>", " ", caption)).split())
    assert caption.startswith(
        "Relative risk of neuropathy by daily dose against the reference band, up to 50 mg/day, on a log scale; the "
        "vertical line marks a relative risk of 1."
    )
