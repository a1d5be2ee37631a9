"""Bytes a clinician's browser fetches for a result page, as production serves it (gunicorn, whitenoise).

    python bench/page_weight.py

For typical result pages in English and Spanish: the HTML uncompressed and gzip-compressed as the
server sends it, and everything the page loads (HTML plus stylesheets, script and icon, compressed
as whitenoise serves them), side by side with the budgets of issue 11: at most 30 KiB compressed,
45 KiB uncompressed and 80 KiB transferred in all. Not a test: it prints, it asserts nothing.
"""

import re
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server import app_env, running_app, seed  # noqa: E402

PAGES = {
    "SCLE, refractory, can become pregnant": "subtype=scle&antimalarial_status=refractory&can_become_pregnant=on",
    "DLE, every safety feature": (
        "subtype=dle&antimalarial_status=refractory&can_become_pregnant=on&neuropathy=on&smoker=on&thrombosis_risk=on"
    ),
    "LE tumidus, antimalarials not tried": "subtype=tumidus&antimalarial_status=not_tried",
}
BUDGET = {"html": 45 * 1024, "html_gzip": 30 * 1024, "total": 80 * 1024}
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def fetch(url: str, *, compressed: bool) -> bytes:
    headers = {"Accept-Encoding": "gzip"} if compressed else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.read()


def weigh(base: str, path: str) -> dict[str, int]:
    html = fetch(base + path, compressed=False)
    assets = sorted(set(ASSET.findall(html.decode())))
    html_gzip = len(fetch(base + path, compressed=True))
    return {"html": len(html), "html_gzip": html_gzip, "total": html_gzip + sum(len(fetch(base + a, compressed=True)) for a in assets)}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = app_env(tmp)
        seed(env)
        with running_app(env) as base:
            print(f"{'page':<44} {'lang':<4} {'HTML':>9} {'gzip':>9} {'all':>9}   (KiB; budget 45 / 30 / 80)")
            for name, query in PAGES.items():
                for language in ("", "/es"):
                    sizes = weigh(base, f"{language}/result/?{query}")
                    cells = " ".join(
                        f"{sizes[k] / 1024:>8.1f}{'*' if sizes[k] > BUDGET[k] else ' '}" for k in ("html", "html_gzip", "total")
                    )
                    print(f"{name:<44} {language.strip('/') or 'en':<4} {cells}")
            print("* over budget")


if __name__ == "__main__":
    main()
