"""Only a registered EHR's fresh, signed JWT opens the CDS Hooks service (CDS Hooks 2.0, "Trusting CDS Clients")."""

import http.server
import io
import json
import logging
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta

import jwt
import pytest
from django.core.management import call_command

from cledss.interop.cds_hooks import development, trust
from cledss.interop.cds_hooks.clients import Client
from cledss.interop.models import CardFeedback, SeenToken
from tests.support import ROOT, RegisteredEhr, app_environment, gunicorn, http_get, registered_as

# The example JWT and JWK Set of the CDS Hooks 2.0 specification, copied from ../shared/fixtures so a clone anywhere runs it.
SPEC_EXAMPLE = json.loads((ROOT / "tests" / "fixtures" / "cds-hooks-spec-example-token.json").read_text())
PATIENT_VIEW = "/cds-services/cledss-thalidomide-patient-view"
ORDER_SELECT = "/cds-services/cledss-thalidomide-order-select"
FEEDBACK = f"{PATIENT_VIEW}/feedback"
SCLE_REQUEST = json.loads((ROOT / "cledss/interop/cds_hooks/examples/patient-view-scle-hydroxychloroquine.json").read_text())
ORDER_REQUEST = json.loads((ROOT / "cledss/interop/cds_hooks/examples/order-select-thalidomide-pregnant.json").read_text())
BODIES = {
    "/cds-services": None,
    PATIENT_VIEW: SCLE_REQUEST,
    ORDER_SELECT: ORDER_REQUEST,
    FEEDBACK: {"feedback": [{"card": str(uuid.UUID(int=7)), "outcome": "accepted", "outcomeTimestamp": "2026-11-26T12:00:00Z"}]},
}


def send(client, path, headers=None):
    headers = headers or {}
    if BODIES[path] is None:
        return client.get(path, **headers)
    return client.post(path, json.dumps(BODIES[path]), content_type="application/json", **headers)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_refused(response):
    """A bare 401: the label and nothing that says which check failed."""
    assert response.status_code == 401
    assert response.json() == {"label": "Informational, not a prescribing tool", "error": "unauthorized"}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", list(BODIES))
def test_every_endpoint_refuses_a_call_without_a_token_and_answers_one_with_a_token(client, seeded, ehr, path):
    assert_refused(send(client, path))
    assert_refused(send(client, path, {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"}))
    assert send(client, path, ehr.headers(path)).status_code == 200


def test_rs384_is_accepted_as_well_as_es384(client, seeded, ehr):
    assert send(client, PATIENT_VIEW, ehr.headers(PATIENT_VIEW, alg="RS384")).status_code == 200


@pytest.fixture
def stranger_key():
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP384R1())


def test_a_token_signed_by_a_key_the_ehr_does_not_publish_is_refused(client, db, ehr, stranger_key):
    forged = development.mint(stranger_key, "http://testserver/cds-services", issuer=ehr.ISSUER, kid="ehr-es384")
    assert_refused(client.get("/cds-services", **bearer(forged)))


@pytest.mark.parametrize(
    "claims",
    [
        # Dates are seconds from the moment the test runs, not from collection: a long suite
        # would otherwise see a token "issued later" become one issued in the past.
        {"exp": -120},  # expired, beyond the 30 seconds of clock skew allowed
        {"iat": +600},  # issued in the future
        {"aud": "http://testserver/cds-services/another-service"},
        {"aud": "https://other-cds.example.org/cds-services"},
        {"iss": "https://unknown-ehr.example.org/"},
        {"jti": None},
        {"iat": None},
    ],
    ids=["expired", "issued-later", "other-service", "other-host", "unknown-issuer", "no-jti", "no-iat"],
)
def test_a_token_with_a_wrong_or_missing_claim_is_refused(client, db, ehr, claims):
    now = int(time.time())
    claims = {k: now + v if k in ("exp", "iat") and v is not None else v for k, v in claims.items()}
    token = ehr.token("/cds-services", **claims)
    if None in claims.values():
        payload = jwt.decode(token, options={"verify_signature": False})
        payload = {k: v for k, v in payload.items() if v is not None}
        token = jwt.encode(payload, ehr.keys["ES384"], algorithm="ES384", headers={"kid": "ehr-es384", "typ": "JWT"})
    assert_refused(client.get("/cds-services", **bearer(token)))


def test_the_audience_is_the_configured_public_url_not_the_host_header(client, db, ehr, settings):
    settings.CDS_PUBLIC_URL = "https://cledss.hospital.example"
    settings.ALLOWED_HOSTS = ["testserver", "cledss.hospital.example"]
    assert_refused(client.get("/cds-services", **ehr.headers("/cds-services")))  # names http://testserver
    token = development.mint(ehr.keys["ES384"], "https://cledss.hospital.example/cds-services", issuer=ehr.ISSUER, kid="ehr-es384")
    assert client.get("/cds-services", **bearer(token)).status_code == 200


def test_unsigned_and_shared_secret_tokens_are_refused(client, db, ehr):
    payload = jwt.decode(ehr.token("/cds-services"), options={"verify_signature": False})
    unsigned = jwt.encode(payload, None, algorithm="none", headers={"kid": "ehr-es384"})
    assert_refused(client.get("/cds-services", **bearer(unsigned)))
    # The classic confusion: an HMAC keyed with the EHR's public key, which anyone can read. PyJWT will not
    # make one, so it is made by hand.
    from cryptography.hazmat.primitives import serialization

    public_pem = ehr.keys["ES384"].public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert_refused(client.get("/cds-services", **bearer(_hs256({**payload, "jti": "another"}, public_pem))))


def _hs256(payload: dict, secret: bytes) -> str:
    import base64
    import hashlib
    import hmac

    encode = lambda data: base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()  # noqa: E731
    signing_input = f"{encode({'alg': 'HS256', 'typ': 'JWT', 'kid': 'ehr-es384'})}.{encode(payload)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


@pytest.mark.parametrize("header", [{"typ": "JOSE"}, {"kid": ""}, {"alg": "ES256"}])
def test_a_token_without_the_required_header_fields_is_refused(client, db, ehr, header):
    payload = jwt.decode(ehr.token("/cds-services"), options={"verify_signature": False})
    fields = {"kid": "ehr-es384", "typ": "JWT", **header}
    alg = fields.pop("alg", "ES384")
    if alg == "ES256":
        from cryptography.hazmat.primitives.asymmetric import ec

        token = jwt.encode(payload, ec.generate_private_key(ec.SECP256R1()), algorithm=alg, headers=fields)
    else:
        token = jwt.encode(payload, ehr.keys["ES384"], algorithm=alg, headers=fields)
    assert_refused(client.get("/cds-services", **bearer(token)))


@pytest.mark.parametrize("alg, kid", [("RS384", "ehr-es384"), ("ES384", "ehr-rs384")])
def test_a_kid_naming_the_other_algorithms_key_is_refused_not_a_500(client, db, ehr, alg, kid):
    """PyJWT raised TypeError for such a token, whoever signed it: it needs no valid signature at all."""
    token = development.mint(ehr.keys[alg], "http://testserver/cds-services", issuer=ehr.ISSUER, kid=kid, alg=alg)
    assert_refused(client.get("/cds-services", **bearer(token)))


@pytest.mark.parametrize("alg, kid", [("ES384", "p-256"), ("ES384", "private-es384"), ("RS384", "private-rs384")])
def test_a_published_key_unfit_for_the_headers_algorithm_is_refused(client, db, ehr, settings, alg, kid):
    from cryptography.hazmat.primitives.asymmetric import ec

    def jwk(key_alg, key, kid):
        return {**json.loads(jwt.get_algorithm_by_name(key_alg).to_jwk(key)), "kid": kid}

    published = [
        jwk("ES256", ec.generate_private_key(ec.SECP256R1()).public_key(), "p-256"),
        # An EHR's private keys, published by mistake: PyJWT failed on them (AttributeError, TypeError).
        jwk("ES384", ehr.keys["ES384"], "private-es384"),
        jwk("RS384", ehr.keys["RS384"], "private-rs384"),
    ]
    settings.CDS_CLIENTS = registered_as(Client(ehr.ISSUER, jwks={"keys": [*ehr.jwks["keys"], *published]}))
    token = development.mint(ehr.keys[alg], "http://testserver/cds-services", issuer=ehr.ISSUER, kid=kid, alg=alg)
    assert_refused(client.get("/cds-services", **bearer(token)))


@pytest.mark.parametrize(
    "claims",
    [
        {"jti": "\ud800"},  # a lone surrogate, valid in JSON: the replay guard's hash had no UTF-8 for it
        {"jti": "a\x00b"},
        {"jti": ["one", "two"]},
        {"exp": "4102444800"},  # 2100, as text: PyJWT reads it as a date, the replay guard could not
        {"iat": "1700000000"},
        {"exp": True},
        {"iss": [RegisteredEhr.ISSUER]},
        {"aud": {"url": "http://testserver/cds-services"}},
        {"aud": [["http://testserver/cds-services"]]},
        {"tenant": ["hospital-a"]},
        {"tenant": "hospital-a\ud800"},
    ],
    ids=["surrogate-jti", "nul-in-jti", "list-jti", "text-exp", "text-iat", "true-exp", "list-iss", "object-aud",
         "nested-aud", "list-tenant", "surrogate-tenant"],
)
def test_a_claim_of_an_odd_type_or_odd_text_is_refused_not_a_500(client, db, ehr, settings, claims):
    settings.CDS_CLIENTS = registered_as(Client(ehr.ISSUER, jwks=ehr.jwks, tenants=("hospital-a",)))
    payload = jwt.decode(ehr.token("/cds-services"), options={"verify_signature": False}) | {"tenant": "hospital-a", **claims}
    # Signed as bytes: PyJWT's own encode would refuse to write some of these claims.
    header = {"kid": "ehr-es384", "typ": "JWT"}
    token = jwt.api_jws.encode(json.dumps(payload).encode(), ehr.keys["ES384"], "ES384", header)
    assert_refused(client.get("/cds-services", **bearer(token)))
    assert not SeenToken.objects.exists()
    assert client.get("/cds-services", **ehr.headers("/cds-services", tenant="hospital-a")).status_code == 200


def test_the_same_token_is_accepted_once(client, seeded, ehr):
    token = ehr.token(PATIENT_VIEW)
    assert send(client, PATIENT_VIEW, bearer(token)).status_code == 200
    assert_refused(send(client, PATIENT_VIEW, bearer(token)))
    assert SeenToken.objects.count() == 1
    assert token not in json.dumps(list(SeenToken.objects.values()), default=str)


def test_a_tenant_is_checked_when_the_ehr_has_tenants(client, db, ehr, settings):
    settings.CDS_CLIENTS = registered_as(Client(ehr.ISSUER, jwks=ehr.jwks, tenants=("hospital-a",)))
    assert_refused(client.get("/cds-services", **ehr.headers("/cds-services")))
    assert_refused(client.get("/cds-services", **ehr.headers("/cds-services", tenant="hospital-b")))
    assert client.get("/cds-services", **ehr.headers("/cds-services", tenant="hospital-a")).status_code == 200


def test_feedback_without_a_valid_token_stores_nothing(client, db, ehr):
    assert_refused(send(client, FEEDBACK))
    assert_refused(send(client, FEEDBACK, bearer(ehr.token(FEEDBACK, exp=int(time.time()) - 300))))
    assert not CardFeedback.objects.exists()
    assert send(client, FEEDBACK, ehr.headers(FEEDBACK)).status_code == 200
    assert CardFeedback.objects.count() == 1


def test_feedback_accepts_a_token_for_its_service_endpoint(client, db, ehr):
    assert send(client, FEEDBACK, bearer(ehr.token(PATIENT_VIEW))).status_code == 200


def test_neither_token_is_logged_or_stored(client, seeded, ehr, caplog):
    access_token = "fhir-access-token-that-must-stay-secret"
    body = {**SCLE_REQUEST, "fhirServer": "https://fhir.hospital.example", "fhirAuthorization": {
        "access_token": access_token, "token_type": "Bearer", "expires_in": 300, "scope": "patient/*.read", "subject": "cledss"}}
    token = ehr.token(PATIENT_VIEW)
    caplog.set_level(logging.DEBUG)
    for _ in range(2):  # accepted, then refused as a replay
        client.post(PATIENT_VIEW, json.dumps(body), content_type="application/json", **bearer(token))
    client.get("/cds-services", **bearer(token[:-4] + "AAAA"))  # a broken signature
    logged = "\n".join(record.getMessage() for record in caplog.records)
    stored = json.dumps([list(m.objects.values()) for m in (SeenToken, CardFeedback)], default=str)
    for secret in (token, token.split(".")[2], access_token):
        assert secret not in logged and secret not in stored


class KeyServer:
    """A JWK Set (or whatever ``body`` holds) served on loopback, counting the requests it gets."""

    def __init__(self, body: bytes):
        self.requests = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def serve():
    """Start key servers for one test; each is closed, and cledss's cached key sets forgotten, after it."""
    servers = []
    trust._fetched_keys.cache_clear()

    def start(body: bytes) -> KeyServer:
        servers.append(KeyServer(body))
        return servers[-1]

    yield start
    for server in servers:
        server.close()
    trust._fetched_keys.cache_clear()


@pytest.fixture
def key_server(ehr, serve):
    return serve(json.dumps(ehr.jwks).encode())


def test_a_jku_on_the_ehrs_allowlist_is_fetched_once_and_cached(client, db, ehr, key_server, settings):
    settings.CDS_CLIENTS = registered_as(Client(ehr.ISSUER, jwks=ehr.jwks, jku=(key_server.url,)))
    for _ in range(3):
        token = ehr.token("/cds-services")
        header_jku = jwt.encode(
            jwt.decode(token, options={"verify_signature": False}), ehr.keys["ES384"], algorithm="ES384",
            headers={"kid": "ehr-es384", "typ": "JWT", "jku": key_server.url},
        )
        assert client.get("/cds-services", **bearer(header_jku)).status_code == 200
    assert key_server.requests == 1


@pytest.mark.parametrize("answer", [b"<html>Down for maintenance</html>", b'{"keys": [{"kty": "RSA", "n": 7}]}', b"[1]"])
def test_a_key_server_answering_with_no_key_set_gets_the_caller_refused(client, db, ehr, serve, settings, answer):
    settings.CDS_CLIENTS = registered_as(Client(ehr.ISSUER, jwks_url=serve(answer).url))
    assert_refused(client.get("/cds-services", **ehr.headers("/cds-services")))


def test_a_jku_off_the_allowlist_is_refused_without_any_request_to_it(client, db, ehr, key_server):
    payload = jwt.decode(ehr.token("/cds-services"), options={"verify_signature": False})
    token = jwt.encode(payload, ehr.keys["ES384"], algorithm="ES384", headers={"kid": "ehr-es384", "typ": "JWT", "jku": key_server.url})
    assert_refused(client.get("/cds-services", **bearer(token)))
    assert key_server.requests == 0


def test_the_specifications_example_token_verifies_and_is_refused_as_expired(db, settings, monkeypatch):
    """Known answer: the JWT, header and JWK Set published in CDS Hooks 2.0, "Trusting CDS Clients"."""
    token, expected = SPEC_EXAMPLE["token"], SPEC_EXAMPLE["expected_claims"]
    assert jwt.get_unverified_header(token) == SPEC_EXAMPLE["expected_header"]
    key = jwt.PyJWKSet.from_dict(SPEC_EXAMPLE["jwks"])["example-kid"]
    assert jwt.decode(token, key, algorithms=["ES384"], audience=expected["aud"], options={"verify_exp": False}) == expected
    # Through cledss's own checks: the example EHR registered with its jku allowlisted, its key set
    # answered without the network, as the example host does not exist.
    header = SPEC_EXAMPLE["expected_header"]
    settings.CDS_CLIENTS = registered_as(Client(expected["iss"], jwks_url=header["jku"], jku=(header["jku"],), tenants=(expected["tenant"],)))
    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: SPEC_EXAMPLE["jwks"])
    trust._fetched_keys.cache_clear()
    with pytest.raises(jwt.ExpiredSignatureError):
        trust.verified_claims(token, [expected["aud"]])
    monkeypatch.setattr(trust, "LEEWAY", timedelta(days=365 * 30))  # as if it were still 2015
    assert trust.verified_claims(token, [expected["aud"]]) == expected
    trust._fetched_keys.cache_clear()


def test_a_newcomer_mints_a_development_token_for_curl(client, seeded, settings, tmp_path):
    settings.CDS_DEVELOPMENT_KEYS = tmp_path
    settings.CDS_CLIENTS = None  # CLEDSS_CDS_CLIENTS unset: development trusts its stand-in EHR
    settings.CDS_PUBLIC_URL = "http://testserver"
    out = io.StringIO()
    call_command("cds_token", "discovery", stdout=out)
    assert client.get("/cds-services", **bearer(out.getvalue().strip())).status_code == 200
    out = io.StringIO()
    call_command("cds_token", "--curl", stdout=out)
    command = out.getvalue()
    assert command.startswith("curl -sS -H 'Authorization: Bearer ey")
    assert "--data @cledss/interop/cds_hooks/examples/patient-view-scle-hydroxychloroquine.json" in command
    assert command.rstrip().endswith(f"http://testserver{PATIENT_VIEW}")
    assert (tmp_path / "private-key.pem").stat().st_mode & 0o077 == 0


def test_a_replay_is_refused_by_another_app_server_sharing_the_database(tmp_path, ehr_keys):
    """Two gunicorn instances, one database: the token the first accepted, the second refuses."""
    ehr = RegisteredEhr(ehr_keys)
    env = app_environment(
        tmp_path / "shared.sqlite3",
        CLEDSS_PUBLIC_URL="https://cledss.hospital.example",
        CLEDSS_CDS_CLIENTS=json.dumps([{"issuer": ehr.ISSUER, "jwks": ehr.jwks}]),
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    with gunicorn(env) as one, gunicorn(env) as another:
        token = development.mint(ehr.keys["ES384"], "https://cledss.hospital.example/cds-services", issuer=ehr.ISSUER, kid="ehr-es384")
        answers = [http_get(port, "/cds-services", {"Authorization": f"Bearer {token}"}).status for port in (one, another)]
        assert answers == [200, 401]
