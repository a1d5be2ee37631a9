"""Time cledss's PDFs (Typst) against headless Chromium printing the same page, every request for a new patient.

Run from the project root after `make install` (Chromium at /usr/bin/chromium, as `make test` installs):

    .venv/bin/python bench/pdf.py              # summary and handout, 8 variants each, 15 rounds
    .venv/bin/python bench/pdf.py --rounds 30
    .venv/bin/python bench/pdf.py --quick      # A4 English and Letter Spanish, 5 rounds: a smoke run

It seeds a temporary SQLite database, starts the app as production runs it (gunicorn with
cledss/gunicorn_conf.py, production settings, static files from whitenoise) on a free loopback port
and launches Chromium once (its start-up is not timed). A variant is a document (the chart
summary, /result/pdf/, against the result page; the handout, /result/handout/pdf/, against the
handout page), a paper (A4, US Letter), a language (English, Spanish) and a patient with or without
the optional inputs (dose, months, SNAP amplitudes). Every request of a variant is for a patient of
its own: with the optional inputs a daily dose no other request has, without them another subtype,
antimalarial status or set of safety features. So nothing is served again, neither a PDF nor a page:
cledss typesets each PDF afresh (it keeps none), and Chromium loads a result page the app draws
afresh before printing it. The two alternate, one request each, so both meet the same machine load.
It prints each one's median wall-clock time and the ratio cledss / Chromium; the goal is at most
0.2 in every variant. Nothing is asserted: timings vary by machine, so the load average is printed.
"""

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server import app_env, running_app, seed  # noqa: E402

from tests.support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

GOAL = 0.2
# Requests per document before the timed ones: enough for each of gunicorn's workers to have made one.
WARM_UP = 30
DOCUMENTS = {"summary": ("/result/pdf/", "/result/"), "handout": ("/result/handout/pdf/", "/result/handout/")}
PAPERS = {"a4": "A4", "letter": "Letter"}  # cledss's paper parameter, Chromium's format
LANGUAGES = {"en": "", "es": "/es"}
SUBTYPES = ["acle", "scle", "dle", "profundus", "tumidus", "chilblain", "other"]
STATUSES = ["refractory", "intolerant", "not_tried", "responding"]
SAFETY = ["can_become_pregnant", "neuropathy", "smoker", "thrombosis_risk"]
# --quick runs only these two.
HEADLINE = [("a4", "en", False), ("letter", "es", False)]


def patients(optional: bool, rng: random.Random):
    """Endless distinct patients: SCLE after antimalarials failed with a dose of its own, or (without the optional
    inputs) each combination of subtype, status and safety features once, in a shuffled order."""
    if optional:
        for dose in rng.sample(range(1, 401), 400):
            yield {"subtype": "scle", "antimalarial_status": "refractory", "can_become_pregnant": "on", "daily_dose_mg": dose,
                   "months_on_thalidomide": 6, "snap_baseline_uv": "12.5", "snap_now_uv": "9.1"}
        return
    combinations = list(itertools.product(SUBTYPES, STATUSES, itertools.product((False, True), repeat=len(SAFETY))))
    rng.shuffle(combinations)
    for subtype, status, ticks in combinations:
        yield {"subtype": subtype, "antimalarial_status": status, **{n: "on" for n, t in zip(SAFETY, ticks, strict=True) if t}}


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="A4 English and Letter Spanish, 5 rounds")
    args = parser.parse_args()
    everything = [*HEADLINE, *(v for v in itertools.product(PAPERS, LANGUAGES, (False, True)) if v not in HEADLINE)]
    variants = HEADLINE if args.quick else everything
    rounds = 5 if args.quick else args.rounds

    from playwright.sync_api import sync_playwright

    before = os.getloadavg()
    results = []
    with tempfile.TemporaryDirectory(prefix="cledss-bench-") as tmp:
        env = app_env(tmp)
        seed(env)
        with running_app(env) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            tab = browser.new_page()
            for document, (pdf_path, page_path) in DOCUMENTS.items():
                # Every worker's first PDF of a document parses its template and reads the fonts: not counted.
                for query in itertools.islice(patients(True, random.Random(document)), WARM_UP):
                    urllib.request.urlopen(f"{base}{pdf_path}?{urlencode(query)}", timeout=60).read()
                for paper, language, optional in variants:
                    new_patients = patients(optional, random.Random(f"{document}{paper}{language}{optional}"))
                    times = {"cledss": [], "chromium": []}
                    sizes = {}
                    for round_ in range(rounds + 2):  # two rounds of warm-up, not counted
                        query = urlencode(next(new_patients))
                        pdf_url = f"{base}{LANGUAGES[language]}{pdf_path}?{query}&paper={paper}"
                        page_url = f"{base}{LANGUAGES[language]}{page_path}?{query}"

                        def cledss_pdf():
                            sizes["cledss"] = len(urllib.request.urlopen(pdf_url, timeout=60).read())  # noqa: B023

                        def chromium_pdf():
                            tab.goto(page_url)  # noqa: B023
                            sizes["chromium"] = len(tab.pdf(format=PAPERS[paper]))  # noqa: B023

                        cledss, chromium = timed(cledss_pdf), timed(chromium_pdf)
                        if round_ >= 2:
                            times["cledss"].append(cledss)
                            times["chromium"].append(chromium)
                    results.append((document, (paper, language, optional), times, dict(sizes)))
            browser.close()
    after = os.getloadavg()

    print(
        f"{rounds} rounds per variant, each request a new patient; {os.cpu_count()} cores,"
        f" load average before {before[0]:.2f}, after {after[0]:.2f}"
    )
    print(f"  {'document, variant':<52} {'cledss':>9} {'Chromium':>10} {'ratio':>6}   sizes (last round)")
    worst = {}
    for document, (paper, language, optional), times, sizes in results:
        medians = {name: statistics.median(values) for name, values in times.items()}
        ratio = medians["cledss"] / medians["chromium"]
        worst[document] = max(worst.get(document, 0), ratio)
        name = f"{document}, {PAPERS[paper]}, {'English' if language == 'en' else 'Spanish'}, {'with' if optional else 'without'} optional inputs"
        print(
            f"  {name:<52} {medians['cledss'] * 1000:6.1f} ms {medians['chromium'] * 1000:7.1f} ms {ratio:6.3f}"
            f"   {sizes['cledss'] / 1024:.0f} / {sizes['chromium'] / 1024:.0f} KiB"
        )
    for document, ratio in worst.items():
        print(f"  worst ratio, {document}: {ratio:.3f} (goal: at most {GOAL}) -> {'met' if ratio <= GOAL else 'not met'}")


if __name__ == "__main__":
    main()
