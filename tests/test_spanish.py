"""The Spanish pages say the same thing as the English ones, with the same numbers and citations."""

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import ARTIFACTS
from tests.support import page_text

SCLE = {"subtype": "scle", "antimalarial_status": "refractory", "can_become_pregnant": "on", "smoker": "on"}
NUMBER = re.compile(r"\d+(?:[.,/]\d+)*%?")


class _TextNodes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.nodes, self._skip = [], False

    def handle_starttag(self, tag, attrs):
        self._skip = tag in ("script", "style", "code")

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skip:
            self.nodes.append(text)


def text_nodes(response) -> list[str]:
    parser = _TextNodes()
    parser.feed(response.content.decode())
    return parser.nodes


def same_in_both_languages(node: str, citations: set[str]) -> bool:
    """Citations, names, identifiers and bare figures are meant to read the same in Spanish."""
    bare = re.sub(r"(10\.\d{4,}/\S+|https?://\S+|v\d+ \(sha [0-9a-f]+\)|PMID|DOI|cledss|CLASI|SNAP|EMG|REMS|THALOMID|JSON)", "", node)
    letters = re.sub(r"[\W\d_]", "", bare)
    return node in citations or node in ("English", "Español") or len(letters) < 4 or node.startswith(("Cortés", "Briani", "Cuadrado", "Yuki", "Chasset", "Francès", "Bastuji-Garin", "Ordi-Ros", "Knop", "Housman"))


@pytest.fixture
def pages(client, seeded):
    def get(path, params=None):
        english = client.get(path, params)
        spanish = client.get(f"/es{path}", params)
        assert english.status_code == spanish.status_code
        return english, spanish

    return get


def test_spanish_result_shows_the_same_figures_and_citations(pages, seed_records):
    english, spanish = pages("/result/", SCLE)
    # The same figures; only the decimal mark differs (22.7 in English, 22,7 in Spanish).
    assert NUMBER.findall(page_text(english)) == [n.replace(",", ".") for n in NUMBER.findall(page_text(spanish))]
    identifiers = re.findall(r"(?:PMID|DOI) \S+", page_text(english))
    assert identifiers == re.findall(r"(?:PMID|DOI) \S+", page_text(spanish))
    citations = [n for n in text_nodes(english) if "2012;166(3):616-623" in n]
    assert citations and all(c in text_nodes(spanish) for c in citations)
    assert "30 (IC del 95% 5,82 a 154,63)" in page_text(spanish)
    assert "58/59 (98%)" in page_text(spanish)


@pytest.mark.parametrize(
    "path, params",
    [
        ("/", None),
        ("/whats-new/", None),
        ("/result/", SCLE),
        ("/result/", {"subtype": "dle", "antimalarial_status": "refractory", "neuropathy": "on", "thrombosis_risk": "on"}),
        ("/result/", {"subtype": "chilblain", "antimalarial_status": "not_tried"}),
        ("/result/", {"subtype": "tumidus", "antimalarial_status": "intolerant"}),
        ("/result/", {"subtype": "bogus"}),
    ],
)
def test_no_english_sentence_is_left_on_spanish_pages(pages, seed_records, path, params):
    english, spanish = pages(path, params)
    citations = {record["citation"] for record in seed_records}
    spanish_nodes = set(text_nodes(spanish))
    left = [n for n in text_nodes(english) if n in spanish_nodes and not same_in_both_languages(n, citations)]
    assert left == []
    spanish_text = page_text(spanish)
    curated_english = [
        text
        for record in seed_records
        for item in (record, *record["findings"])
        for name in ("statement", "certainty_reason", "population", "design")
        if (text := item.get(name)) and item.get(f"{name}_es") != text
    ]
    assert [text for text in curated_english if text in spanish_text] == []
    assert "Informativo, no es una herramienta de prescripción" in spanish_text


def test_pictures_are_drawn_at_the_same_coordinates_in_spanish(pages):
    english, spanish = pages("/result/", {"subtype": "dle", "antimalarial_status": "refractory"})
    coordinates = re.compile(r'data-(?:lower|upper|estimate)="([^"]+)"')
    assert coordinates.findall(english.content.decode()) == coordinates.findall(spanish.content.decode())
    assert all("," not in value for value in coordinates.findall(spanish.content.decode()))


def test_language_switcher_keeps_the_patient_features(client, seeded):
    html = client.get("/result/", SCLE).content.decode()
    assert 'href="/language/es/?next=%2Fes%2Fresult%2F%3Fsubtype%3Dscle%26antimalarial_status%3Drefractory' in html
    assert 'lang="es"' in html


def test_spanish_form_errors_are_in_spanish(client, seeded):
    text = page_text(client.get("/es/result/", {"subtype": "scle"}))
    assert "Elija cómo ha respondido el LEC a los antipalúdicos." in text


@pytest.mark.browser
def test_english_and_spanish_result_pages_are_saved_as_screenshots(page, live_server, seeded_live):
    ARTIFACTS.mkdir(exist_ok=True)
    query = "subtype=scle&antimalarial_status=refractory"
    page.goto(f"{live_server.url}/result/?{query}")
    page.screenshot(path=ARTIFACTS / "result-en.png", full_page=True)
    page.get_by_role("link", name="Español").click()
    page.wait_for_url("**/es/result/?*")
    assert "Respuesta en el estudio" in page.inner_text("body")
    page.screenshot(path=ARTIFACTS / "result-es.png", full_page=True)


def test_machine_answers_stay_in_english_whatever_the_browser_prefers(client, seeded):
    response = client.get(
        "/api/assessment", {"subtype": "scle", "antimalarial_status": "refractory"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    body = response.json()
    assert body["label"] == "Informational, not a prescribing tool"
    assert body["sections"][0]["title"] == "Response in the study"
