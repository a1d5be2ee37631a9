"""The parts of bench/speed.py that run inside Django, against the database DATABASE_URL names.

    python bench/django_side.py add-studies 1000   # publish 1,000 extra studies and record a version
    python bench/django_side.py measure PATH...    # queries and in-process latency per result page; JSON

Run by bench/speed.py in a subprocess with the bench instance's environment; not a test.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cledss.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cledss.answer_cache import CACHE  # noqa: E402
from cledss.evidence import snapshot  # noqa: E402
from cledss.evidence.models import Finding, Status, Study  # noqa: E402
from cledss.evidence.versions import record_version  # noqa: E402


@transaction.atomic
def add_studies(count: int, first: int = 0) -> str:
    """Publish ``count`` supporting cohorts with two findings each, then record the new version as a publish does;
    its label."""
    studies = Study.objects.bulk_create(
        Study(
            key=f"bench-cohort-{n:04d}",
            short=f"Bench cohort {n} 2020",
            citation=f"Bench A, Cohort B. Thalidomide in cutaneous lupus, cohort {n}. J Bench. 2020;{n}:1-9.",
            year=2020,
            role="supporting",
            design="Retrospective cohort, single centre",
            size=40 + n % 60,
            population="Adults with refractory cutaneous lupus.",
            certainty="low",
            certainty_reason="Uncontrolled observational cohort.",
            status=Status.PUBLISHED,
        )
        for n in range(first, first + count)
    )
    Finding.objects.bulk_create(
        Finding(
            study=study,
            key=key,
            outcome=outcome,
            measure="proportion",
            numerator=numerator,
            denominator=study.size,
            estimate=round(100 * numerator / study.size),
            statement=statement,
            certainty="low",
            certainty_reason="Uncontrolled observational cohort.",
            status=Status.PUBLISHED,
        )
        for study in studies
        for key, outcome, numerator, statement in (
            ("response", "response", study.size * 3 // 4, "responded to thalidomide"),
            ("paraesthesia", "paraesthesia", study.size // 5, "reported paraesthesia"),
        )
    )
    return record_version(reason=f"bench: {count} extra studies").label


def _timed_get(client: Client, path: str) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(path)
        seconds = time.perf_counter() - start
    assert response.status_code == 200, (path, response.status_code)
    return seconds, len(queries), len(response.content)


def measure(paths: list[str], repeats: int = 30) -> dict:
    """For each path: the first request after a publish and in a new worker, then kept and freshly drawn pages.

    The process has served a page before, as a running worker has when a curator publishes, so
    imports and compiling the templates are not what is measured. Each publish adds one study and
    records a version; they are rolled back at the end, so the database is left as it was.
    """
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(paths[-1])
    results = {}
    with transaction.atomic():
        for number, path in enumerate(paths):
            client.get(path)  # the worker shows the current version
            add_studies(1, first=10_000 + number)
            published, published_queries, size = _timed_get(client, path)
            _as_a_new_worker()
            caches[CACHE].clear()
            new_worker, new_worker_queries, _ = _timed_get(client, path)
            cached = [_timed_get(client, path) for _ in range(repeats)]
            uncached = []
            for _ in range(repeats):
                caches[CACHE].clear()
                uncached.append(_timed_get(client, path))
            results[path] = {
                "bytes": size,
                "published_ms": published * 1000,
                "published_queries": published_queries,
                "new_worker_ms": new_worker * 1000,
                "new_worker_queries": new_worker_queries,
                "cached_ms": statistics.median(t for t, _, _ in cached) * 1000,
                "cached_queries": max(q for _, q, _ in cached),
                "uncached_ms": statistics.median(t for t, _, _ in uncached) * 1000,
                "uncached_queries": max(q for _, q, _ in uncached),
            }
        transaction.set_rollback(True)
    _as_a_new_worker()
    return results


def _as_a_new_worker() -> None:
    """Drop every snapshot kept so far. bench/first_page.py runs this file in older trees too, whose
    snapshot module had no forget() and kept only these two."""
    if hasattr(snapshot, "forget"):
        snapshot.forget()
    else:
        snapshot._last.clear()
        snapshot._verified.clear()


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "add-studies":
        print(f"{rest[0]} studies published; evidence {add_studies(int(rest[0]))}")
    elif command == "measure":
        print(json.dumps(measure(rest)))
    else:
        sys.exit(__doc__)
