"""What checking a CDS Hooks token costs: the verification alone, and the whole call with and without it.

Run from the project root after `make install`:

    .venv/bin/python bench/cds_auth.py             # 2,000 calls of each kind
    .venv/bin/python bench/cds_auth.py --calls 500

In process (Django's test client, no server), on a temporary SQLite database with the seed evidence
and the bench's EHR registered (bench/ehr.py), side by side in one run, rounds alternating:

1. verification: ``trust.authenticated`` for a fresh token: header, issuer, key (from the EHR's key
   file, and from its JWK Set URL served on loopback and cached by PyJWKClient), signature (ES384,
   and RS384), audience, dates, and the jti recorded in the database against replay;
2. the patient-view call of the example request (cledss/interop/cds_hooks/examples/), with its token;
3. the same call with the check skipped, so (2) - (3) is what authentication adds to a call.

Tokens are signed before the timer starts (signing is the EHR's cost). It prints median and p99 per
kind and the verification's share of the call; the goal is under 5 ms a call. Nothing is asserted.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

from client import percentile  # noqa: E402
from ehr import ISSUER, BenchEhr, example  # noqa: E402
from server import MANAGE, ROOT, app_env  # noqa: E402

SERVICE = "/cds-services/cledss-thalidomide-patient-view"
GOAL_MS = 5


def serve_directory(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    """The EHR's key set on a loopback URL, as an EHR publishes its JWK Set."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/jwks.json"


def milliseconds(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:6.2f} ms  p99 {percentile(samples, 0.99) * 1000:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2_000, help="calls of each kind")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cledss-cds-auth-") as tmp:
        ehr = BenchEhr(str(Path(tmp) / "ehr"))
        key_server, jwks_url = serve_directory(Path(ehr.directory))
        # Development settings allow the loopback http key URL; the checks are the same as in production.
        env = app_env(tmp, production=False)
        clients = [{"issuer": ISSUER, "jwks_file": str(Path(ehr.directory) / "jwks.json")},
                   {"issuer": ISSUER + "by-url", "jwks_url": jwks_url}]
        env.update(CLEDSS_CDS_CLIENTS=json.dumps(clients), DJANGO_ALLOWED_HOSTS="testserver")
        subprocess.run([*MANAGE, "migrate", "--noinput", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
        subprocess.run([*MANAGE, "load_evidence"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        os.environ.update(env, DJANGO_SETTINGS_MODULE="cledss.settings")
        measure(ehr, args.calls)
        key_server.shutdown()


def measure(ehr: BenchEhr, calls: int) -> None:
    import django
    import jwt

    django.setup()
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.test import Client, RequestFactory

    from cledss.interop.cds_hooks import development, trust

    audience = [trust.endpoint_audiences(SERVICE)[0]]
    rsa_key = rsa.generate_private_key(65537, 2048)
    kinds = {
        "ES384, key file": lambda: ehr.token(SERVICE),
        "ES384, key URL (cached)": lambda: development.mint(
            development.private_key(Path(ehr.directory)), audience[0], issuer=ISSUER + "by-url"
        ),
    }
    # RS384 needs the EHR's key set to hold an RSA key: add one the way an EHR rotates keys in.
    jwks_path = Path(ehr.directory) / "jwks.json"
    keys = json.loads(jwks_path.read_text())
    keys["keys"].append({**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key())), "kid": "rsa", "alg": "RS384"})
    jwks_path.write_text(json.dumps(keys))
    kinds["RS384, key file"] = lambda: development.mint(rsa_key, audience[0], issuer=ISSUER, kid="rsa", alg="RS384")

    factory, web = RequestFactory(), Client()
    body = json.dumps(example("patient-view-scle-hydroxychloroquine"))
    times: dict[str, list[float]] = {name: [] for name in [*kinds, "call with token", "call, check skipped"]}

    def answered(**headers) -> bool:
        return web.post(SERVICE, body, content_type="application/json", **headers).status_code == 200

    def timed(name: str, action, *args, **kwargs) -> None:
        start = time.perf_counter()
        outcome = action(*args, **kwargs)
        times[name].append(time.perf_counter() - start)
        assert outcome, f"{name}: refused"  # a refused token would measure the wrong path

    for _ in range(20):  # warm-up: imports, the snapshot, the key URL's first fetch
        for make in kinds.values():
            trust.authenticated(factory.post(SERVICE, HTTP_AUTHORIZATION=f"Bearer {make()}"), audience)
        web.post(SERVICE, body, content_type="application/json", HTTP_AUTHORIZATION=ehr.authorization(SERVICE))
    for _ in range(calls):
        for name, make in kinds.items():
            timed(name, trust.authenticated, factory.post(SERVICE, HTTP_AUTHORIZATION=f"Bearer {make()}"), audience)
        timed("call with token", answered, HTTP_AUTHORIZATION=ehr.authorization(SERVICE))
        with mock.patch("cledss.interop.cds_hooks.views.authenticated", return_value=True):
            timed("call, check skipped", answered)

    load = os.getloadavg()
    print(f"{calls} calls of each kind, in process, SQLite; {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for name, samples in times.items():
        print(f"  {name:<26} {milliseconds(samples)}")
    verification = statistics.median(times["ES384, key file"])
    added = statistics.median(times["call with token"]) - statistics.median(times["call, check skipped"])
    share = added / statistics.median(times["call with token"])
    print(f"  a call with its token costs {added * 1000:.2f} ms more than without the check ({share:.0%} of the call)")
    worst = max(statistics.median(samples) for name, samples in times.items() if name in kinds)
    print(f"  verification (median, slowest kind) {worst * 1000:.2f} ms; goal under {GOAL_MS} ms -> "
          f"{'met' if worst * 1000 < GOAL_MS and verification * 1000 < GOAL_MS else 'not met'}")


if __name__ == "__main__":
    main()
