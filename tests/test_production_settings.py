"""Production settings: safe or refusing to start, and the security headers every page carries."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-for-the-tests-only-0123456789",
    "DJANGO_ALLOWED_HOSTS": "cledss.hospital.example",
    "DATABASE_URL": "sqlite:///:memory:",
    "CLEDSS_PUBLIC_URL": "https://cledss.hospital.example",
    "CLEDSS_CDS_CLIENTS": '[{"issuer": "https://ehr.hospital.example/", "jwks_url": "https://ehr.hospital.example/jwks.json"}]',
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_deploy_check_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("key", [None, "", "short", "django-insecure-" + "x" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    env = {**PRODUCTION}
    env.pop("DJANGO_SECRET_KEY")
    if key is not None:
        env["DJANGO_SECRET_KEY"] = key
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug_and_missing_hosts():
    assert "DJANGO_DEBUG must be false" in manage("check", **PRODUCTION, DJANGO_DEBUG="true").stderr
    assert "DJANGO_ALLOWED_HOSTS" in manage("check", **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ""}).stderr


def test_production_refuses_to_start_the_cds_service_without_registered_ehrs():
    without = {k: v for k, v in PRODUCTION.items() if k != "CLEDSS_CDS_CLIENTS"}
    assert "CLEDSS_CDS_CLIENTS must list the EHRs" in manage("check", **without).stderr


def test_production_refuses_the_development_ehr_and_plain_http():
    development = '[{"issuer": "urn:cledss:development-ehr", "jwks_url": "https://ehr.hospital.example/jwks.json"}]'
    assert "development EHR cannot be trusted" in manage("check", **{**PRODUCTION, "CLEDSS_CDS_CLIENTS": development}).stderr
    assert "CLEDSS_PUBLIC_URL must be" in manage("check", **{**PRODUCTION, "CLEDSS_PUBLIC_URL": "http://cledss.hospital.example"}).stderr
    plain_keys = PRODUCTION["CLEDSS_CDS_CLIENTS"].replace("https://ehr", "http://ehr")
    assert "key URLs must use https" in manage("check", **{**PRODUCTION, "CLEDSS_CDS_CLIENTS": plain_keys}).stderr


@pytest.mark.parametrize(
    "clients, message",
    [
        ("not json", "must be a JSON list"),
        ('[{"jwks_url": "https://ehr.example/k"}]', "needs an issuer"),
        ('[{"issuer": "https://ehr.example/"}]', "exactly one of jwks_url, jwks or jwks_file"),
        ('[{"issuer": "https://ehr.example/", "jwks": {"keys": [{"kty": "nope"}]}}]', "JWK Set cannot be read"),
        ('[{"issuer": "https://ehr.example/", "jwks_url": "https://ehr.example/k", "tenant": ["t"]}]', "unknown field(s) tenant"),
    ],
)
def test_a_mistake_in_the_registered_ehrs_stops_the_start_and_says_where(clients, message):
    result = manage("check", **{**PRODUCTION, "CLEDSS_CDS_CLIENTS": clients})
    assert result.returncode != 0 and message in result.stderr


def test_admin_url_is_configurable():
    code = "import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="cledss.settings", DJANGO_ADMIN_URL="backstage-7f3a/")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "/backstage-7f3a/", result.stderr


def test_a_probe_over_plain_http_reaches_health_while_pages_go_to_https():
    """A load balancer's probe speaks plain HTTP to the server itself, without the proxy's X-Forwarded-Proto."""
    code = (
        "import django; django.setup(); from django.test import Client; from django.db import connection;"
        "connection.cursor().execute('SELECT 1');"  # the in-memory database exists once opened
        "c = Client(HTTP_HOST='cledss.hospital.example');"
        "print(c.get('/health/').status_code, c.get('/').status_code)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env = {**clean, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "cledss.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["200", "301"], result.stderr


@pytest.mark.parametrize("path", ["/", "/result/?subtype=scle&antimalarial_status=refractory", "/admin/login/"])
def test_pages_carry_a_strict_content_security_policy_and_security_headers(client, seeded, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_health_answers_ok_when_the_database_does(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_answers_503_when_the_database_does_not(client, db):
    with mock.patch("cledss.health.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_admin_login_locks_out_after_repeated_failures(client, db):
    get_user_model().objects.create_superuser("curator", "c@example.org", "a-long-correct-password")
    statuses = [client.post("/admin/login/", {"username": "curator", "password": "wrong"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post("/admin/login/", {"username": "curator", "password": "a-long-correct-password"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
