"""Time cledss's PDF endpoint against headless Chromium printing the same result page to PDF.

Run from the project root after `make install` (Chromium at /usr/bin/chromium, as `make test` installs):

    .venv/bin/python bench/pdf.py              # 8 variants, 15 rounds each
    .venv/bin/python bench/pdf.py --rounds 30
    .venv/bin/python bench/pdf.py --quick      # A4 English and Letter Spanish, 5 rounds: a smoke run

It seeds a temporary SQLite database, starts the app with Django's runserver on a free loopback
port and launches Chromium once (its start-up is not timed). Each variant is a paper (A4, US Letter),
a language (English, Spanish) and the patient with or without the optional inputs of issue 10 (dose,
months, SNAP amplitudes). Per variant it times the first request, which lays the PDF out, then warms
both up and alternates: one request for /result/pdf/ (WeasyPrint, inside the app) and one Chromium
round (load the result page, then page.pdf() on the same paper), so both meet the same machine
load. It prints each one's median wall-clock time and the ratio cledss / Chromium; the goal is at
most 0.5. Nothing is asserted: timings vary by machine, so the load average is printed with them.
"""

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server import app_env, running_app, seed  # noqa: E402

from tests.support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

QUERY = "subtype=scle&antimalarial_status=refractory"
OPTIONAL = "&daily_dose_mg=100&months_on_thalidomide=6&snap_baseline_uv=12.5&snap_now_uv=9.1"
PAPERS = {"a4": "A4", "letter": "Letter"}  # cledss's paper parameter, Chromium's format
LANGUAGES = {"en": "", "es": "/es"}
# The goal names these two; --quick runs only them.
HEADLINE = [("a4", "en", False), ("letter", "es", False)]


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="A4 English and Letter Spanish, 5 rounds")
    args = parser.parse_args()
    variants = HEADLINE if args.quick else [*HEADLINE, *(v for v in itertools.product(PAPERS, LANGUAGES, (False, True)) if v not in HEADLINE)]
    rounds = 5 if args.quick else args.rounds

    from playwright.sync_api import sync_playwright

    before = os.getloadavg()
    results = []
    with tempfile.TemporaryDirectory(prefix="cledss-bench-") as tmp:
        env = app_env(tmp, production=False)
        seed(env)
        with running_app(env, server="runserver") as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            tab = browser.new_page()
            for paper, language, optional in variants:
                query = QUERY + (OPTIONAL if optional else "")
                pdf_url = f"{base}{LANGUAGES[language]}/result/pdf/?{query}&paper={paper}"
                page_url = f"{base}{LANGUAGES[language]}/result/?{query}"
                sizes = {}

                def cledss_pdf():
                    sizes["cledss"] = len(urllib.request.urlopen(pdf_url, timeout=60).read())  # noqa: B023

                def chromium_pdf():
                    tab.goto(page_url)  # noqa: B023
                    sizes["chromium"] = len(tab.pdf(format=PAPERS[paper]))  # noqa: B023

                first = timed(cledss_pdf)  # lays the document out and keeps it
                for _ in range(2):  # warm-up: Chromium's first layout of this page
                    cledss_pdf()
                    chromium_pdf()
                times = {"cledss": [], "chromium": []}
                for _ in range(rounds):
                    times["cledss"].append(timed(cledss_pdf))
                    times["chromium"].append(timed(chromium_pdf))
                results.append(((paper, language, optional), first, times, dict(sizes)))
            browser.close()
    after = os.getloadavg()

    print(
        f"{rounds} rounds per variant, SCLE / refractory summary; {os.cpu_count()} cores,"
        f" load average before {before[0]:.2f}, after {after[0]:.2f}"
    )
    print(f"  {'variant':<42} {'cledss (kept)':>14} {'Chromium':>10} {'ratio':>6}   {'first cledss PDF (lays out)':>27} {'ratio':>6}   sizes")
    ratios = {}
    for (paper, language, optional), first, times, sizes in results:
        medians = {name: statistics.median(values) for name, values in times.items()}
        ratio = ratios[(paper, language, optional)] = medians["cledss"] / medians["chromium"]
        name = f"{PAPERS[paper]}, {'English' if language == 'en' else 'Spanish'}, {'with' if optional else 'without'} optional inputs"
        print(
            f"  {name:<42} {medians['cledss'] * 1000:11.1f} ms {medians['chromium'] * 1000:7.1f} ms {ratio:6.2f}"
            f"   {first * 1000:24.1f} ms {first / medians['chromium']:6.2f}"
            f"   {sizes['cledss'] / 1024:.0f} / {sizes['chromium'] / 1024:.0f} KiB"
        )
    for variant in HEADLINE:
        label = f"{PAPERS[variant[0]]} {'English' if variant[1] == 'en' else 'Spanish'}"
        ratio = ratios[variant]
        print(f"  ratio cledss / Chromium, {label}: {ratio:.2f} (goal: at most 0.50) -> {'met' if ratio <= 0.5 else 'not met'}")
    worst = max(ratios.values())
    print(f"  worst ratio over all {len(ratios)} variants: {worst:.2f} -> {'met' if worst <= 0.5 else 'not met'}")


if __name__ == "__main__":
    main()
