"""Small builders the tests share."""

import contextlib
import html
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from cledss.clinical.features import AntimalarialStatus, PatientFeatures, Subtype


def patient(subtype="scle", antimalarial_status="refractory", **safety) -> PatientFeatures:
    return PatientFeatures(Subtype(subtype), AntimalarialStatus(antimalarial_status), **safety)


def pdf_pages(response) -> list[str]:
    """Each page's text, whitespace collapsed: pypdf breaks lines where the layout did."""
    from tests.pdf_structure import page_texts

    return [" ".join(text.split()) for text in page_texts(response.content)]


def without_spaces(text: str) -> str:
    """For identifiers such as DOIs, which a narrow column may wrap mid-string."""
    return re.sub(r"\s+", "", text)


def page_text(response) -> str:
    """The visible text of an HTML response, whitespace collapsed, for asserting on sentences."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def draft_finding(**overrides):
    """A new finding for Cuadrado 2005: EMG-proven neuropathy in 4 of the 15 who started on 50 mg on alternate days."""
    from cledss.evidence.models import Finding, Study

    values = dict(
        study=Study.objects.get(key="cuadrado-2005"),
        key="neuropathy-alternate-days",
        outcome="neuropathy_confirmed",
        measure="proportion",
        numerator=4,
        denominator=15,
        estimate="27",
        statement="These patients started on 50 mg on alternate days.",
        certainty="low",
        certainty_reason="Observational cohort.",
    )
    values.update(overrides)
    finding = Finding(**values)
    finding.full_clean()
    finding.save()
    return finding


SCLE_RESULT = "/result/?subtype=scle&antimalarial_status=refractory"


def finding_data(**overrides):
    """The admin's finding form filled in for Cuadrado 2005's alternate-day neuropathy figure (4/15, 27%)."""
    from cledss.evidence.models import Study

    data = {
        "study": Study.objects.get(key="cuadrado-2005").pk,
        "key": "neuropathy-alternate-days",
        "outcome": "neuropathy_confirmed",
        "subtype": "",
        "measure": "proportion",
        "numerator": "4",
        "denominator": "15",
        "estimate": "27",
        "estimate_kind": "",
        "unit": "",
        "interval": "",
        "lower": "",
        "upper": "",
        "time_frame": "",
        "statement": "These patients started on 50 mg on alternate days.",
        "certainty": "low",
        "certainty_reason": "",
        "comparator": "",
        "association": "",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def study_form_with_new_finding(study, finding: dict) -> dict:
    """The study's admin change form as posted: its findings inline, plus one new finding."""
    existing = list(study.findings.all())
    data = {
        "findings-TOTAL_FORMS": str(len(existing) + 1),
        "findings-INITIAL_FORMS": str(len(existing)),
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, row in enumerate(existing):
        data[f"findings-{index}-id"] = str(row.pk)
        data[f"findings-{index}-study"] = str(study.pk)
    new = len(existing)
    data.update({f"findings-{new}-{name}": value for name, value in finding.items() if name not in ("study", "_save")})
    data[f"findings-{new}-study"] = str(study.pk)
    return data


# Debian's Chromium, launched as this machine needs it (see tests/conftest.py and bench/pdf.py).
CHROMIUM = os.environ.get("CLEDSS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def evidence_state():
    """Everything an evidence load or import could change, to compare before and after."""
    from cledss.evidence.models import EvidenceVersion, Finding, Study

    return (
        list(Study.objects.order_by("key").values()),
        list(Finding.objects.order_by("study__key", "key").values()),
        list(EvidenceVersion.objects.values()),
        Finding.history.count(),
        Study.history.count(),
    )


class RegisteredEhr:
    """An EHR registered with cledss's CDS Hooks service, with its own ES384 and RS384 keys; it mints one
    token per call, for the endpoint's URL on the test server, as a real EHR does."""

    ISSUER = "https://ehr.hospital.test/"
    BASE = "http://testserver"
    KIDS = {"ES384": "ehr-es384", "RS384": "ehr-rs384"}

    def __init__(self, keys: dict):
        import json

        import jwt

        from cledss.interop.cds_hooks.clients import Client

        self.keys = keys
        public = [
            {**json.loads(jwt.get_algorithm_by_name(alg).to_jwk(key.public_key())), "kid": self.KIDS[alg], "alg": alg}
            for alg, key in keys.items()
        ]
        self.jwks = {"keys": public}
        self.client = Client(self.ISSUER, jwks=self.jwks)

    def token(self, path: str, *, alg: str = "ES384", **claims) -> str:
        from cledss.interop.cds_hooks.development import mint

        return mint(self.keys[alg], f"{self.BASE}{path}", issuer=self.ISSUER, kid=self.KIDS[alg], alg=alg, **claims)

    def headers(self, path: str, **claims) -> dict:
        """Django test-client keyword arguments that authorise one call to ``path``."""
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token(path, **claims)}"}


def registered_as(*clients) -> str:
    """``CLEDSS_CDS_CLIENTS`` as an operator would write it for these clients (cds_hooks.clients.Client)."""
    import json
    from dataclasses import asdict

    return json.dumps([{name: list(v) if isinstance(v, tuple) else v for name, v in asdict(c).items() if v} for c in clients])


def opened(row, data: dict) -> dict:
    """A change form's data as posted by someone who opened it now: at the row's current edit."""
    return {**data, "opened_at": type(row).objects.get(pk=row.pk).edit_number}


ROOT = Path(__file__).resolve().parent.parent


def app_environment(database: Path, **settings: str) -> dict[str, str]:
    """This process's environment without its cledss and Django settings, for an app of its own on ``database``."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CLEDSS_"))}
    return {**inherited, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_LOG_LEVEL": "WARNING", **settings}


@contextlib.contextmanager
def gunicorn(env: dict[str, str]):
    """gunicorn as `make serve` runs it (cledss/gunicorn_conf.py), one worker on a free loopback port; yields the port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "python:cledss.gunicorn_conf", "cledss.wsgi"],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while http_get(port, "/health/") is None:
            assert time.monotonic() < deadline and process.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def http_get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse | None:
    """The answer to a GET on loopback, read, or None if nothing answered."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response
    except OSError:
        return None
    finally:
        connection.close()
