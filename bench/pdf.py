"""Time cledss's PDF endpoint against headless Chromium printing the same result page to PDF.

Run from the project root after `make install` (Chromium at /usr/bin/chromium, as `make test` installs):

    .venv/bin/python bench/pdf.py            # 15 rounds
    .venv/bin/python bench/pdf.py --rounds 30

It seeds a temporary SQLite database, starts the app with Django's runserver on a free loopback
port, launches Chromium once (its start-up is not timed), warms both up, then alternates: one
request for /result/pdf/ (WeasyPrint, inside the app) and one Chromium round (load the result page,
then page.pdf()), so both meet the same machine load. It prints each one's median wall-clock time
and the ratio cledss / Chromium; the goal is at most 0.5. Nothing is asserted: timings vary by machine.
"""

import argparse
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


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="cledss-bench-") as tmp:
        env = app_env(tmp, production=False)
        seed(env)
        with running_app(env, server="runserver") as base:
            pdf_url = f"{base}/result/pdf/?{QUERY}"
            page_url = f"{base}/result/?{QUERY}"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                tab = browser.new_page()
                sizes = {}

                def cledss_pdf():
                    sizes["cledss"] = len(urllib.request.urlopen(pdf_url, timeout=60).read())

                def chromium_pdf():
                    tab.goto(page_url)
                    sizes["chromium"] = len(tab.pdf(format="A4"))

                for _ in range(2):  # warm-up: imports, caches, Chromium's first layout
                    cledss_pdf()
                    chromium_pdf()
                times = {"cledss": [], "chromium": []}
                for _ in range(args.rounds):
                    times["cledss"].append(timed(cledss_pdf))
                    times["chromium"].append(timed(chromium_pdf))
                browser.close()

    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{args.rounds} rounds, SCLE / refractory summary, A4")
    for name, label in (("cledss", "cledss /result/pdf/ (WeasyPrint)"), ("chromium", "Chromium goto + page.pdf()")):
        values = times[name]
        print(
            f"  {label:<34} median {medians[name] * 1000:7.1f} ms"
            f"  (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f}; {sizes[name] / 1024:.0f} KiB)"
        )
    ratio = medians["cledss"] / medians["chromium"]
    print(f"  ratio cledss / Chromium: {ratio:.2f} (goal: at most 0.50) -> {'met' if ratio <= 0.5 else 'not met'}")


if __name__ == "__main__":
    main()
