"""A closed-loop HTTP load generator: N clients, each on its own keep-alive HTTP/1.1 connection.

Each client sends its list of requests one after another and waits for each answer (so N clients
means at most N requests in flight). Clients are threads spread over a few processes, so one
Python interpreter's lock does not cap the rate the server is offered.

A request is ``(label, path)``, a GET, or ``(label, path, body)``, a JSON POST; a POST carries a fresh
token from the ``ehr`` given to ``run`` (bench/ehr.py), signed before its timer starts, as an EHR
signs one per call.
"""

import http.client
import multiprocessing
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Outcome:
    label: str
    seconds: float
    ok: bool
    started: float = 0.0  # time.monotonic() when the request was sent


@dataclass
class Run:
    wall: float
    outcomes: list[Outcome]
    failures: dict[str, int] = field(default_factory=dict)

    def by_label(self) -> dict[str, list[Outcome]]:
        groups = defaultdict(list)
        for outcome in self.outcomes:
            groups[outcome.label].append(outcome)
        return dict(groups)

    @property
    def errors(self) -> int:
        return sum(not o.ok for o in self.outcomes)

    @property
    def throughput(self) -> float:
        return len(self.outcomes) / self.wall


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary_line(name: str, outcomes: list[Outcome], wall: float) -> str:
    seconds = [o.seconds for o in outcomes]
    errors = sum(not o.ok for o in outcomes)
    return (
        f"  {name:<10} {len(outcomes):>6} req {len(outcomes) / wall:8.1f} req/s"
        f"  p50 {statistics.median(seconds) * 1000:7.1f} ms  p99 {percentile(seconds, 0.99) * 1000:8.1f} ms"
        f"  errors {errors}"
    )


def tail_ratio(outcomes: list[Outcome]) -> float:
    """p99 over p50: how far the slowest hundredth lies from the typical request."""
    seconds = [o.seconds for o in outcomes]
    return percentile(seconds, 0.99) / statistics.median(seconds)


def timeline(outcomes: list[Outcome], parts: int = 10, *, name: str = "requests", waits: Sequence[Outcome] = ()) -> list[str]:
    """p50 and p99 of the requests sent in each tenth of the run: whether a tail is steady or a phase.

    Beside them, how many of these requests (``name``) and how many of ``waits`` (the PDFs) were in
    flight, on average over the tenth. In a closed loop a client waiting for a PDF sends nothing
    else, and one that has sent its whole list sends nothing more: the first number is the load
    these requests met.
    """
    first, last = min(o.started for o in outcomes), max(o.started for o in outcomes)
    width = (last - first) / parts or 1
    slices: list[list[float]] = [[] for _ in range(parts)]
    for outcome in outcomes:
        slices[min(parts - 1, int((outcome.started - first) / width))].append(outcome.seconds)

    def in_flight(requests: Sequence[Outcome], start: float) -> float:
        end = start + width
        return sum(max(0.0, min(end, r.started + r.seconds) - max(start, r.started)) for r in requests) / width

    return [
        f"  {n * 100 // parts:>3}%  {len(s):>6} req  p50 {statistics.median(s) * 1000:7.1f} ms  p99 {percentile(s, 0.99) * 1000:8.1f} ms"
        f"  in flight: {name} {in_flight(outcomes, first + n * width):4.1f}"
        + (f", PDFs {in_flight(waits, first + n * width):4.1f}" if waits else "")
        for n, s in enumerate(slices)
        if s
    ]


def _one_client(host: str, port: int, requests: list[tuple], ehr, out: list, failures: dict) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=120)
    for label, path, *body in requests:
        headers = {}
        if body:
            headers = {"Content-Type": "application/json", **({"Authorization": ehr.authorization(path)} if ehr else {})}
        started, start = time.monotonic(), time.perf_counter()
        try:
            connection.request("POST" if body else "GET", path, body=body[0] if body else None, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = 200 <= response.status < 300
            if not ok:
                failures[f"{label} HTTP {response.status}"] = failures.get(f"{label} HTTP {response.status}", 0) + 1
        except (OSError, http.client.HTTPException) as error:
            ok = False
            failures[f"{label} {type(error).__name__}"] = failures.get(f"{label} {type(error).__name__}", 0) + 1
            connection.close()
        out.append(Outcome(label, time.perf_counter() - start, ok, started))
    connection.close()


def _process(base: str, clients: list[list[tuple]], ehr) -> tuple[float, float, list[Outcome], dict]:
    url = urlsplit(base)
    out: list[Outcome] = []
    failures: dict[str, int] = {}
    threads = [
        threading.Thread(target=_one_client, args=(url.hostname, url.port, requests, ehr, out, failures)) for requests in clients
    ]
    start = time.monotonic()  # CLOCK_MONOTONIC: comparable between processes on one machine
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return start, time.monotonic(), out, failures


def run(base: str, clients: list[list[tuple]], *, processes: int = 4, ehr=None) -> Run:
    """Send each client's requests on its own connection, all clients at once; time the whole."""
    processes = max(1, min(processes, len(clients)))
    shares = [clients[i::processes] for i in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.starmap(_process, [(base, share, ehr) for share in shares])
    failures: dict[str, int] = defaultdict(int)
    for *_, found in results:
        for key, count in found.items():
            failures[key] += count
    wall = max(end for _, end, _, _ in results) - min(start for start, _, _, _ in results)
    return Run(wall, [o for _, _, outcomes, _ in results for o in outcomes], dict(failures))
