"""A mistake in CLEDSS_CDS_CLIENTS is a system check error (cledss.interop.E001) that stops the start.

Settings keep the variable's text; the interop app reads it where the CDS Hooks service needs it and
checks it where Django checks configuration, so `manage.py check`, runserver, every command and each
gunicorn worker refuse a list that cannot be trusted as written, with a message naming the EHR and field.
"""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from cledss.interop.cds_hooks import development
from cledss.interop.cds_hooks.clients import Client, registered
from tests.support import ROOT, app_environment

HOSPITAL_EHR = {"issuer": "https://ehr.hospital.example/", "jwks_url": "https://ehr.hospital.example/jwks.json"}


def test_a_good_list_passes_the_check_and_is_what_the_service_trusts(settings):
    settings.CDS_CLIENTS = json.dumps([HOSPITAL_EHR])
    out = io.StringIO()
    call_command("check", stdout=out)
    assert "System check identified no issues" in out.getvalue()
    assert registered() == (Client(HOSPITAL_EHR["issuer"], jwks_url=HOSPITAL_EHR["jwks_url"]),)


@pytest.mark.parametrize(
    "production, clients, message",
    [
        (False, "not json", "CLEDSS_CDS_CLIENTS must be a JSON list of objects"),
        (
            False,
            '[{"jwks_url": "https://ehr.example/k"}]',
            "Each EHR in CLEDSS_CDS_CLIENTS needs an issuer (the JWT's iss)",
        ),
        (
            False,
            '[{"issuer": "https://ehr.example/", "jwks_url": "https://ehr.example/k", "tenant": ["t"]}]',
            "CLEDSS_CDS_CLIENTS, issuer 'https://ehr.example/': unknown field(s) tenant",
        ),
        (True, None, "CLEDSS_CDS_CLIENTS must list the EHRs trusted to call the CDS Hooks service in production"),
        (
            True,
            json.dumps([{**HOSPITAL_EHR, "issuer": development.ISSUER}]),
            "The development EHR cannot be trusted in production",
        ),
        (
            True,
            json.dumps([{**HOSPITAL_EHR, "jwks_url": "http://ehr.hospital.example/jwks.json"}]),
            "CLEDSS_CDS_CLIENTS, issuer 'https://ehr.hospital.example/': key URLs must use https, "
            "not 'http://ehr.hospital.example/jwks.json'",
        ),
    ],
)
def test_a_mistake_is_reported_by_the_check_as_error_e001_with_its_message(settings, production, clients, message):
    settings.PRODUCTION, settings.CDS_CLIENTS = production, clients
    with pytest.raises(SystemCheckError) as refusal:
        call_command("check")
    assert f"(cledss.interop.E001) {message}" in str(refusal.value)


def test_development_without_the_variable_trusts_the_local_stand_in_ehr(settings, tmp_path):
    settings.PRODUCTION, settings.CDS_CLIENTS, settings.CDS_DEVELOPMENT_KEYS = False, None, tmp_path
    assert registered() == (Client(development.ISSUER, jwks_file=str(tmp_path / "jwks.json")),)


def test_the_list_is_read_once_not_on_every_call(settings):
    settings.CDS_CLIENTS = json.dumps([HOSPITAL_EHR])
    assert registered() is registered()


def test_a_call_under_a_list_that_cannot_be_read_trusts_nobody_and_says_why(client, db, ehr, settings):
    """Whatever server runs cledss without its checks, the first CDS call fails loudly, never half-trusted."""
    settings.CDS_CLIENTS = "not json"
    with pytest.raises(ImproperlyConfigured, match="CLEDSS_CDS_CLIENTS must be a JSON list of objects"):
        client.get("/cds-services", **ehr.headers("/cds-services"))


def test_gunicorn_refuses_to_start_with_a_list_that_cannot_be_read(tmp_path):
    env = app_environment(tmp_path / "db.sqlite3", CLEDSS_CDS_CLIENTS="not json")
    gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "-c", "python:cledss.gunicorn_conf", "cledss.wsgi"]
    result = subprocess.run(
        gunicorn,
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": "127.0.0.1:0", "WEB_CONCURRENCY": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "(cledss.interop.E001) CLEDSS_CDS_CLIENTS must be a JSON list of objects" in result.stderr
