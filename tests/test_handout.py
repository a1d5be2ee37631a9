"""The handout for the patient: plain language from the result page's own assessment, in English and Spanish,
on screen and as a PDF of at most two pages, with the result page's numbers and no others."""

import io
import itertools
import re
from types import SimpleNamespace

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from cledss.clinical.assess import assess
from cledss.clinical.body_of_evidence import EvidenceSnapshot
from cledss.clinical.features import AntimalarialStatus, Subtype
from cledss.clinical.handout import handout, wording
from tests import readability
from tests.conftest import ARTIFACTS
from tests.support import page_text, patient, pdf_pages
from tests.test_informational_wording import EVERY_PATIENT, INSTRUCTIONS, first_words

SCLE_PREGNANT = "subtype=scle&antimalarial_status=refractory&can_become_pregnant=on"
DLE_NEUROPATHY_SMOKER = "subtype=dle&antimalarial_status=refractory&neuropathy=on&smoker=on&thrombosis_risk=on"
NOT_TRIED = "subtype=tumidus&antimalarial_status=not_tried"
INTOLERANT = "subtype=chilblain&antimalarial_status=intolerant"
# The longest handout: every safety feature, and a caveat on the fit.
EVERY_FLAG = "subtype=scle&antimalarial_status=intolerant&can_become_pregnant=on&neuropathy=on&smoker=on&thrombosis_risk=on"
PATIENTS = [SCLE_PREGNANT, DLE_NEUROPATHY_SMOKER, NOT_TRIED, INTOLERANT]
# Every figure of the handout, as digits; a figure's time (a generation moment) is left out with its element.
NUMBER = re.compile(r"\d+(?:\.\d+)?")
TIME = re.compile(r"<time[^>]*>.*?</time>", re.S)
# What each test measured, printed after the run (tests/conftest.py).
READABILITY: dict[str, str] = {}


def _handout(snapshot, **features):
    return handout(assess(patient(**features), snapshot))


def says(statement, phrase) -> bool:
    """Whether a statement is ``phrase``, whatever its parameters (a sentence about this patient may lead it)."""
    return getattr(statement.message, "message", None) == phrase.message


# --- What the clinical core puts on the handout -------------------------------------------------------

def test_someone_who_can_become_pregnant_reads_the_programmes_rules_right_after_what_the_sheet_is_for(snapshot):
    sheet = _handout(snapshot, can_become_pregnant=True)
    assert [p.key for p in sheet.parts] == ["about", "pregnancy", "benefit", "nerves", "other"]
    pregnancy = sheet.part("pregnancy")
    assert pregnancy.statements[0].tone == "danger"
    assert pregnancy.statements[0].text.startswith("You can become pregnant.")
    texts = " ".join(s.text for s in pregnancy.statements)
    assert "two good kinds of birth control" in texts and "pregnancy test every week" in texts
    assert all(s.certainty == "regulatory" for s in pregnancy.statements)
    assert wording.ASK_IF["can_become_pregnant"] in sheet.questions


def test_anyone_else_reads_the_birth_defect_warning_and_the_rules_for_men(snapshot):
    pregnancy = _handout(snapshot).part("pregnancy")
    texts = " ".join(s.text for s in pregnancy.statements)
    assert "severe birth defects" in texts and "use a condom" in texts and "No one taking thalidomide may give blood" in texts
    # The rules for people who can become pregnant are named as left out (tests/test_handout_drops_no_rule.py).
    assert "two good kinds of birth control" not in texts and "pregnancy test every week" not in texts


def test_someone_with_neuropathy_reads_a_stronger_nerve_part_and_a_question_about_it(snapshot):
    without = _handout(snapshot).part("nerves")
    already = _handout(snapshot, neuropathy=True).part("nerves")
    assert without.statements[0].tone == "warning"
    assert already.statements[0].tone == "danger"
    assert already.statements[0].text.startswith("You already have nerve damage.")
    assert wording.ASK_IF["neuropathy"] in _handout(snapshot, neuropathy=True).questions
    for part in (without, already):
        texts = " ".join(s.text for s in part.all_statements)
        assert "tingling or numbness" in texts and "before treatment" in texts
        assert "after they stopped" in texts and "did not go away" in texts


@pytest.mark.parametrize("subtype", list(Subtype))
def test_every_patient_reads_how_often_testing_everyones_nerves_found_damage_beside_the_main_studys_count(
    snapshot, subtype
):
    # Symptom-led testing (the main study's 5 of 11 with tingling) understates what screening everyone finds.
    for status, pregnant in itertools.product(AntimalarialStatus, (False, True)):
        nerves = _handout(snapshot, subtype=subtype, antimalarial_status=status, can_become_pregnant=pregnant)
        statements = nerves.part("nerves").statements
        screened = next(s for s in statements if says(s, wording.SCREENED))
        assert {(f.source.key, f.numerator, f.denominator) for f in screened.findings} == {
            ("briani-2005", 10, 14), ("yuki-2021", 12, 20), ("cuadrado-2005", 13, 48),
        }
        assert "10 of 14 people" in screened.text and "13 of 48 people" in screened.text
        assert "12 of 20 people (two in three of them had no symptoms)" in screened.text
        main = next(s for s in statements if says(s, wording.TESTED_IF_TINGLING))
        assert main.sources[0].role == "primary"
        assert "only for the 11 people with tingling" in main.text and "nerve damage in 5 of them" in main.text


def test_the_blood_clot_warning_says_where_the_labels_data_come_from_and_what_skin_lupus_studies_saw(snapshot):
    other = _handout(snapshot).part("other")
    label, pooled, brain = other.statements[:3]
    assert label.certainty == "regulatory" and label.tone == "warning"
    assert "boxed warning" in label.text and "multiple myeloma" in label.text and "dexamethasone" in label.text
    assert "not from people with skin lupus" in label.text
    assert [f.key for f in pooled.findings] == ["thromboembolic-events"] and pooled.sources[0].role == "pooled"
    assert "2 out of 100 people" in pooled.text and "as low as 1 or as high as 3 out of 100" in pooled.text
    assert "2 of the 60 people" in brain.text and "heavy smokers" in brain.text


def test_someone_who_had_a_clot_reads_it_first_at_danger_level(snapshot):
    other = _handout(snapshot, thrombosis_risk=True).part("other")
    assert other.statements[0].tone == "danger"
    assert other.statements[0].text.startswith("You have had a blood clot, or you have antiphospholipid antibodies.")
    assert "does not describe people who have had a blood clot" in " ".join(s.text for s in other.statements)


@pytest.mark.parametrize("subtype, finding, words", [
    ("dle", "dle-relapse", "more likely than people with other types to have it come back"),
    ("scle", "scle-long-term-remission", "more likely than people with other types to stay clear for a long time"),
])
def test_right_under_the_whole_studys_pictures_the_patient_reads_what_the_study_found_for_their_subtype(
    snapshot, subtype, finding, words
):
    benefit = _handout(snapshot, subtype=subtype).part("benefit")
    assert [p.array.finding.outcome for p in benefit.pictures][-1] == "relapse"
    first = benefit.statements[0]
    assert [f.key for f in first.findings] == [finding] and first.certainty == "very_low"
    assert first.text.startswith(str(wording.WHOLE_STUDY)) and words in first.text


def test_a_subtype_the_study_gives_no_estimate_for_reads_no_subtype_sentence(snapshot):
    benefit = _handout(snapshot, subtype="profundus").part("benefit")
    assert not [f for s in benefit.statements for f in s.findings if f.subtype is not None]
    assert not any(str(wording.WHOLE_STUDY) in s.text for s in benefit.statements)


def test_the_time_to_response_is_worded_as_the_main_study_reported_it(snapshot):
    benefit = _handout(snapshot).part("benefit")
    early = next(s for s in benefit.statements if s.findings[0].outcome == "time_to_response")
    assert early.text == "In the main study, the change could already be seen 2 weeks after starting."
    assert early.sources[0].role == "primary"


@pytest.mark.parametrize("status", ["not_tried", "responding"])
def test_someone_outside_the_studied_population_reads_that_its_numbers_may_not_apply_and_no_efficacy_figures(
    snapshot, status
):
    sheet = _handout(snapshot, subtype="tumidus", antimalarial_status=status)
    assert sheet.part("benefit") is None
    assert any("may not apply to you" in s.text for s in sheet.part("about").statements)
    assert [p.key for p in sheet.parts] == ["about", "nerves", "pregnancy", "other"]


def test_someone_partly_like_the_studied_population_reads_the_figures_with_a_caveat(snapshot):
    sheet = _handout(snapshot, subtype="chilblain", antimalarial_status="intolerant")
    assert sheet.part("benefit") is not None
    assert any("may not fully apply to you" in s.text for s in sheet.part("about").statements)


@pytest.mark.parametrize("prefix, language, like_you", [("", "en", "people like you"), ("/es", "es", "como usted")])
def test_the_pictures_count_the_people_of_the_main_study_not_people_like_the_patient(
    client, seeded, prefix, language, like_you
):
    # A partly matching patient has just read that they differ from the study's people.
    html = client.get(f"{prefix}/result/handout/?{INTOLERANT}").content.decode()
    with translation.override(language):
        assert f'id="benefit-heading">{wording.BENEFIT}</h2>' in html
    assert like_you not in html


def test_the_pictures_are_the_result_pages_icon_arrays_with_the_same_text_alternatives(snapshot):
    assessment = assess(patient(can_become_pregnant=True), snapshot)
    sheet = handout(assessment)
    page_arrays = [v for section in assessment.sections for v in section.visuals if hasattr(v, "filled")]
    pictures = [p.array for part in sheet.parts for p in part.pictures]
    assert [a.finding.outcome for a in pictures] == ["response", "complete_response", "relapse", "paraesthesia"]
    for array in pictures:
        same = [a for a in page_arrays if a.finding == array.finding]
        if same:  # the relapse figure is given in words on the result page, so it has no picture there
            assert str(same[0].description) == str(array.description)
    assert [a.filled for a in pictures] == [98, 85, 70, 18]


def test_every_statement_names_its_source_and_certainty_except_what_the_sheet_is_for(snapshot):
    for features in ({}, {"can_become_pregnant": True, "neuropathy": True, "smoker": True, "thrombosis_risk": True}):
        sheet = _handout(snapshot, **features)
        unsourced = [s.message for s in sheet.statements if not s.sources]
        assert unsourced == [wording.FOR, wording.DECISION]
        assert {source.key for s in sheet.statements for source in s.sources} == {s.key for s in sheet.sources}


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_sentence_instructs_the_patient_only_the_questions_ask(seed_records, language):
    evidence = EvidenceSnapshot.from_records(seed_records, version="seed", language=language)
    seen = set()
    with translation.override(language):
        for features in EVERY_PATIENT:
            sheet = handout(assess(features, evidence))
            for text in (s.text for s in sheet.statements):
                if text not in seen:
                    seen.add(text)
                    assert not set(first_words(text)) & INSTRUCTIONS[language], text
    assert len(seen) > 25


# --- The page and the PDF ------------------------------------------------------------------------------

def test_the_result_page_links_to_the_handout_for_the_same_patient(client, seeded):
    page = client.get(f"/result/?{SCLE_PREGNANT}").content.decode()
    assert f'href="/result/handout/?{SCLE_PREGNANT.replace("&", "&amp;")}">Handout for the patient</a>' in page


@pytest.mark.parametrize("prefix, language", [("", "en"), ("/es", "es")])
def test_the_handout_page_carries_the_patients_label_the_evidence_version_and_the_sources(
    client, seeded, prefix, language
):
    from cledss.evidence.snapshot import published_snapshot

    response = client.get(f"{prefix}/result/handout/?{SCLE_PREGNANT}")
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override(language):
        label = str(wording.LABEL)
        assert html.count(label) >= 2  # under the header and in the footer
        assert str(wording.PREGNANCY) in html and str(wording.SOURCES) in html
    assert published_snapshot().version in html
    assert "PMID 21999437" in html
    assert html.count('class="icon-array"') == 4


def test_a_bad_query_gets_the_form_back_with_400_and_post_gets_405(client, seeded):
    assert client.get("/result/handout/?subtype=nonsense&antimalarial_status=refractory").status_code == 400
    assert client.get("/result/handout/pdf/?subtype=nonsense&antimalarial_status=refractory").status_code == 400
    assert client.get(f"/result/handout/pdf/?{SCLE_PREGNANT}&paper=a3").status_code == 400
    assert client.post(f"/result/handout/?{SCLE_PREGNANT}").status_code == 405


# The icon arrays' affected people are filled with Okabe-Ito blue (#0072b2), one fill per person.
BLUE_FILL = b"0 0.44705883 0.69803923 scn"


def people_drawn_affected(document: bytes) -> int:
    reader = PdfReader(io.BytesIO(document))
    return sum(page.get_contents().get_data().count(BLUE_FILL) for page in reader.pages)


# Both papers for the Must-show patient; the longest handout on Letter, the shorter of the two papers.
@pytest.mark.parametrize(
    "query, paper, prefix, language",
    [
        *((SCLE_PREGNANT, paper, prefix, language) for paper in ("a4", "letter") for prefix, language in (("", "en"), ("/es", "es"))),
        (EVERY_FLAG, "letter", "", "en"),
        (EVERY_FLAG, "letter", "/es", "es"),
    ],
)
def test_the_pdf_fits_on_two_pages_with_the_pictures_and_the_label_on_every_page(
    client, seeded, snapshot, prefix, language, paper, query
):
    response = client.get(f"{prefix}/result/handout/pdf/?{query}&paper={paper}")
    assert response["Content-Type"] == "application/pdf"
    assert re.fullmatch(r'attachment; filename="cledss-handout-\d{4}-\d{2}-\d{2}\.pdf"', response["Content-Disposition"])
    if query == SCLE_PREGNANT:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"handout-scle-pregnant-{language}-{paper}.pdf").write_bytes(response.content)
    pages = pdf_pages(response)
    with translation.override(language):
        label, pregnancy = str(wording.LABEL), str(wording.PREGNANCY)
    assert len(pages) <= 2
    assert all(label in page for page in pages), pages
    assert pregnancy in " ".join(pages)
    features = dict(pair.split("=") for pair in query.split("&"))
    flags = {name: True for name, value in features.items() if value == "on"}
    sheet = _handout(snapshot, subtype=features["subtype"], antimalarial_status=features["antimalarial_status"], **flags)
    assert people_drawn_affected(response.content) == sum(p.array.filled for part in sheet.parts for p in part.pictures)


def test_the_pdf_holds_no_link_or_metadata_that_could_identify_the_patient(client, seeded):
    reader = PdfReader(io.BytesIO(client.get(f"/result/handout/pdf/?{EVERY_FLAG}").content))
    # The title, the typesetter and when it was made (PDF/A asks for the date): nothing of the patient.
    assert set(reader.metadata) == {"/Creator", "/Title", "/CreationDate", "/ModDate"}
    assert reader.metadata["/Title"] == f"{wording.TITLE} · cledss"
    links = [
        str(annotation.get_object().get("/A", {}).get("/URI", ""))
        for page in reader.pages
        for annotation in page.get("/Annots") or []
    ]
    assert not [link for link in links if "testserver" in link or "subtype=" in link or "pregnant" in link], links


@pytest.mark.parametrize("stylesheet, language", [("handout.css", "en"), ("handout-es.css", "es")])
def test_the_label_printed_at_the_foot_of_every_page_is_the_clinical_cores(client, stylesheet, language):
    css = b"".join(client.get(f"/static/css/{stylesheet}").streaming_content).decode()
    with translation.override(language):
        assert f'content: "{wording.LABEL}"' in css


# --- The same numbers as the clinician's page ------------------------------------------------------------

def page_text_of(html: str) -> str:
    """Everything a page says, pictures' text alternatives and reference list included, without its markup."""
    return page_text(SimpleNamespace(content=html.encode()))


@pytest.mark.parametrize("prefix", ["", "/es"])
@pytest.mark.parametrize("query", PATIENTS)
def test_every_number_on_the_handout_is_on_the_clinicians_page(client, seeded, prefix, query):
    handout_page = TIME.sub("", client.get(f"{prefix}/result/handout/?{query}").content.decode())
    result_page = TIME.sub("", client.get(f"{prefix}/result/?{query}").content.decode())
    shown = set(NUMBER.findall(page_text_of(result_page)))
    on_handout = set(NUMBER.findall(page_text_of(handout_page)))
    assert on_handout and on_handout <= shown, on_handout - shown


@pytest.mark.parametrize("query", [SCLE_PREGNANT, DLE_NEUROPATHY_SMOKER, INTOLERANT])
def test_each_pictures_count_of_100_is_the_clinicians_percentage_for_the_same_finding(client, seeded, snapshot, query):
    from django.http import QueryDict

    from cledss.evidence.snapshot import published_snapshot
    from cledss.web.forms import AssessmentForm

    form = AssessmentForm(QueryDict(query))
    assert form.is_valid()
    sheet = handout(assess(form.features(), published_snapshot()))
    result_text = readability.prose(client.get(f"/result/?{query}").content.decode())
    handout_text = readability.prose(client.get(f"/result/handout/?{query}").content.decode())
    pictures = [p for part in sheet.parts for p in part.pictures]
    assert pictures
    for picture in pictures:
        figure = str(picture.array.finding.figure)
        assert figure in result_text and f"{picture.array.filled}%" in figure
        assert f"{picture.array.filled} out of 100" in handout_text


# --- Readability, measured ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def cmu_dictionary(tmp_path_factory):
    readability.offline_cmudict(tmp_path_factory.mktemp("nltk_data"))


@pytest.mark.parametrize("query", PATIENTS)
def test_the_english_handout_reads_at_grade_8_or_below(client, seeded, cmu_dictionary, query):
    text = readability.prose(client.get(f"/result/handout/?{query}").content.decode())
    grade = readability.flesch_kincaid_grade(text)
    READABILITY[f"en  {query}"] = f"Flesch-Kincaid grade {grade:.1f} ({len(text.split())} words)"
    print(READABILITY[f"en  {query}"])
    assert len(text.split()) > 300
    assert grade <= readability.FLESCH_KINCAID_MOST


@pytest.mark.parametrize("query", PATIENTS)
def test_the_spanish_handout_reads_in_the_normal_band_or_easier(client, seeded, query):
    text = readability.prose(client.get(f"/es/result/handout/?{query}").content.decode())
    score = readability.szigriszt_pazos(text)
    READABILITY[f"es  {query}"] = f"Szigriszt-Pazos {score:.1f} ({len(text.split())} words)"
    print(READABILITY[f"es  {query}"])
    assert len(text.split()) > 300
    assert score >= readability.SZIGRISZT_NORMAL


def test_the_readability_measure_tells_hard_prose_from_plain(cmu_dictionary):
    hard = (
        "Thalidomide-associated peripheral neuropathy, characteristically a length-dependent sensory axonopathy, "
        "necessitates electrophysiological surveillance throughout administration."
    )
    assert readability.flesch_kincaid_grade(hard) > 12
    assert readability.flesch_kincaid_grade("Most people got better. Some felt tingling in the feet.") < 6
    assert readability.szigriszt_pazos(
        "La neuropatía periférica asociada a talidomida, característicamente una axonopatía sensitiva dependiente "
        "de longitud, requiere vigilancia electrofisiológica continuada."
    ) < readability.SZIGRISZT_NORMAL


# --- In a real browser ----------------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("prefix, language", [("", "en"), ("/es", "es")])
def test_from_the_result_page_in_chromium_the_handout_opens_as_a_page_and_as_two_pdfs(
    page, live_server, seeded_live, prefix, language
):
    page.goto(f"{live_server.url}{prefix}/result/?{SCLE_PREGNANT}")
    with translation.override(language):
        link, label, pregnancy = str(_("Handout for the patient")), str(wording.LABEL), str(wording.PREGNANCY)
        download, letter = str(_("Download PDF")), str(_("PDF on US Letter"))
    page.get_by_role("link", name=link).click()
    page.wait_for_url("**/result/handout/?*")
    assert "can_become_pregnant=on" in page.url
    assert page.locator("svg.icon-array").count() == 4
    assert page.get_by_role("heading", name=pregnancy).is_visible()
    assert label in page.inner_text("header") and label in page.inner_text("footer")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"handout-scle-pregnant-{language}.png", full_page=True)
    for name in (download, letter):
        with page.expect_download() as started:
            page.get_by_role("link", name=name, exact=True).click()
        document = started.value.path().read_bytes()
        pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(document)).pages]
        assert len(pages) <= 2 and all(label in p for p in pages) and pregnancy in " ".join(pages)
        assert people_drawn_affected(document) == 98 + 85 + 70 + 18
    assert all(url.startswith(live_server.url) for url in page.requests), page.requests
