"""Load test: gunicorn on loopback, 32 keep-alive clients, 20,000 requests over the clinician's endpoints.

Run from the project root after `make install`:

    .venv/bin/python bench/load.py            # 20,000 requests, 32 clients
    .venv/bin/python bench/load.py --quick    # 2,000 requests: a smoke run
    .venv/bin/python bench/load.py --requests 50000 --clients 64 --workers 4

It seeds a temporary SQLite database (production settings, static files collected), starts gunicorn
with cledss/gunicorn_conf.py on a free loopback port, and sends a fixed, seeded mix of requests:
the form (/ and /es/), result pages and JSON API answers for varied subtypes, antimalarial statuses
and safety features, CDS Hooks calls (patient-view and order-select, each with a fresh token from
the bench's registered EHR, verified and recorded against replay as in production), and a small
share of PDF summaries, each for a patient of its own (a daily dose no other PDF of the run has), so
each is typeset afresh. It prints throughput, p50/p99 latency and errors (non-2xx answers or failed
connections) per endpoint and in all; the goals are no errors and p99 at most 3x p50 for every
endpoint and in all. Nothing is asserted: timings vary with the machine and its load.

``--gunicorn-args`` runs the same plan once per value given, one server after another, to compare
server settings side by side: ``--gunicorn-args "" --gunicorn-args "--worker-class gthread --threads 16"``.
"""

import argparse
import itertools
import json
import os
import random
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import client  # noqa: E402
from ehr import BenchEhr, example  # noqa: E402
from server import app_env, running_app, seed  # noqa: E402

SUBTYPES = ["acle", "scle", "dle", "profundus", "tumidus", "chilblain", "other"]
STATUSES = ["refractory", "intolerant", "not_tried", "responding"]
SAFETY = ["can_become_pregnant", "neuropathy", "smoker", "thrombosis_risk"]
# Shares of the mix: mostly result pages, as clinicians read them; PDFs are rare and dear.
MIX = {"form": 0.15, "result": 0.55, "api": 0.24, "cds": 0.05, "pdf": 0.01}
# SNOMED CT codes of the subtypes an EHR sends in patient-view (cledss/interop/fhir_reading.py).
SUBTYPE_CODES = ["239891002", "200938002", "15084002", "200941006", "238928005"]


def cds_calls() -> list[tuple[str, bytes]]:
    """patient-view for each coded subtype (the example's stopped hydroxychloroquine kept), and order-select
    for thalidomide in a patient recorded as pregnant."""
    calls = []
    for code in SUBTYPE_CODES:
        body = example("patient-view-scle-hydroxychloroquine")
        body["prefetch"]["conditions"]["entry"][0]["resource"]["code"]["coding"][0]["code"] = code
        calls.append(("/cds-services/cledss-thalidomide-patient-view", json.dumps(body).encode()))
    order = example("order-select-thalidomide-pregnant")
    calls.append(("/cds-services/cledss-thalidomide-order-select", json.dumps(order).encode()))
    return calls


def patient_queries() -> list[str]:
    """Every combination of the form's features (448), as the form would send them."""
    queries = []
    for subtype, status, ticks in itertools.product(SUBTYPES, STATUSES, itertools.product((False, True), repeat=4)):
        params = {"subtype": subtype, "antimalarial_status": status}
        params.update({name: "on" for name, ticked in zip(SAFETY, ticks, strict=True) if ticked})
        queries.append(urlencode(params))
    return queries


def request_plan(total: int, clients: int, rng: random.Random, mix: dict[str, float] = MIX) -> list[list[tuple]]:
    queries, calls = patient_queries(), cds_calls()
    labels = rng.choices(list(mix), weights=list(mix.values()), k=total)
    plan = []
    # Each PDF's patient is its own: a daily dose (1 to 400 mg) no other PDF of the run has.
    doses = iter(rng.sample(range(1, 401), k=min(400, labels.count("pdf"))))
    for label in labels:
        language = "/es" if rng.random() < 0.2 else ""
        query = rng.choice(queries)
        if label == "cds":
            plan.append((label, *rng.choice(calls)))
            continue
        if label == "pdf":
            query += f"&daily_dose_mg={next(doses)}"
        path = {
            "form": f"{language}/",
            "result": f"{language}/result/?{query}",
            "api": f"/api/assessment?{query}",
            "pdf": f"{language}/result/pdf/?{query}",
        }[label]
        plan.append((label, path))
    return [plan[i::clients] for i in range(clients)]


def every_page(clients: int, times: int = 12) -> list[list[tuple]]:
    """Each page and answer the plan can ask for but PDFs, ``times`` times in a shuffled order: with 5 workers,
    a worker misses a given one with odds of about 1 in 15."""
    queries = patient_queries()
    paths = ["/", "/es/"] + [f"{language}/result/?{query}" for query in queries for language in ("", "/es")]
    paths += [f"/api/assessment?{query}" for query in queries]
    requests = [("kept", path) for path in paths] * times
    random.Random(1).shuffle(requests)
    return [requests[i::clients] for i in range(clients)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--processes", type=int, default=4, help="client processes the clients are spread over")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn_conf's, 2 x cores + 1)")
    parser.add_argument(
        "--gunicorn-args", action="append",
        help="gunicorn settings overriding gunicorn_conf's, e.g. '--worker-class gthread --threads 16'; given more than once, "
        "the plan runs once per value, one server after another",
    )
    parser.add_argument("--development", action="store_true", help="development settings instead of production")
    parser.add_argument("--quick", action="store_true", help="2,000 requests: a smoke run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeline", action="store_true", help="also p50/p99 of the pages sent in each tenth of the run, and the pages and PDFs in flight")
    parser.add_argument(
        "--kept", action="store_true",
        help="first ask every worker for every page and answer the plan holds (not counted): the tail of serving alone",
    )
    parser.add_argument("--pdf-share", type=float, default=MIX["pdf"], help="share of PDFs (default 0.01; 0 shows the tail without them)")
    parser.add_argument("--cds-share", type=float, default=MIX["cds"], help="share of CDS Hooks calls (default 0.05)")
    args = parser.parse_args()
    total = 2_000 if args.quick else args.requests

    plan = request_plan(total, args.clients, random.Random(args.seed), {**MIX, "pdf": args.pdf_share, "cds": args.cds_share})
    with tempfile.TemporaryDirectory(prefix="cledss-load-") as tmp:
        env = app_env(tmp, production=not args.development)
        ehr = BenchEhr(str(Path(tmp) / "ehr"))
        seed(env)
        for gunicorn_args in args.gunicorn_args or [""]:
            with running_app(env, workers=args.workers, gunicorn_args=gunicorn_args) as base:
                # Warm-up, not counted: every worker imports its modules and reads the evidence once.
                warm = [[request] for request in request_plan(64, 1, random.Random(0))[0]]
                client.run(base, warm, processes=args.processes, ehr=ehr)
                if args.kept:
                    client.run(base, every_page(args.clients), processes=args.processes, ehr=ehr)
                result = client.run(base, plan, processes=args.processes, ehr=ehr)
            report(result, args, gunicorn_args)


def report(result: client.Run, args, gunicorn_args: str) -> None:
    load = os.getloadavg()
    print(
        f"{len(result.outcomes)} requests, {args.clients} clients, gunicorn workers: {args.workers or 'default'},"
        f" settings: {gunicorn_args or 'gunicorn_conf.py'} ({'development' if args.development else 'production'} settings);"
        f" {os.cpu_count()} cores, load average after the run {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    by_label = result.by_label()
    for label, outcomes in sorted(by_label.items(), key=lambda item: list(MIX).index(item[0])):
        print(client.summary_line(label, outcomes, result.wall))
    print(client.summary_line("all", result.outcomes, result.wall))
    pages = [o for o in result.outcomes if o.label != "pdf"]
    if args.timeline:
        print("  pages (all but PDFs) by when they were sent:")
        print("\n".join(client.timeline(pages, name="pages", waits=by_label.get("pdf", []))))
    for name, outcomes in (*sorted(by_label.items(), key=lambda item: list(MIX).index(item[0])), ("all", result.outcomes)):
        ratio = client.tail_ratio(outcomes)
        print(f"  p99 / p50, {name}: {ratio:.2f} (goal: at most 3) -> {'met' if ratio <= 3 else 'not met'}")
    print(f"  wall time {result.wall:.1f} s; errors {result.errors} (goal: 0) -> {'met' if not result.errors else 'not met'}")
    for failure, count in sorted(result.failures.items()):
        print(f"    {failure}: {count}")


if __name__ == "__main__":
    main()
