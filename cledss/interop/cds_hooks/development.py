"""A local stand-in for an EHR, so a newcomer can call the CDS service with curl (`make cds-token`).

Development only: its key pair is made on first use in ``.cds-dev/`` (ignored by git) and its issuer is
registered by the development settings when ``CLEDSS_CDS_CLIENTS`` is not set. Production never trusts
it: its settings register only the EHRs ``CLEDSS_CDS_CLIENTS`` names, and refuse this issuer there.
"""

import json
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from .clients import Client

ISSUER = "urn:cledss:development-ehr"
KID = "cledss-development"
LIFETIME = 300  # seconds: a token is for one call, made now


def client(directory: Path) -> Client:
    return Client(ISSUER, jwks_file=str(directory / "jwks.json"))


def private_key(directory: Path) -> ec.EllipticCurvePrivateKey:
    """The development EHR's ES384 key, made (with its public JWK Set beside it) the first time."""
    pem = directory / "private-key.pem"
    if not pem.exists():
        directory.mkdir(mode=0o700, exist_ok=True)
        key = ec.generate_private_key(ec.SECP384R1())
        pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
        pem.chmod(0o600)
        public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
        keys = {"keys": [{**public, "kid": KID, "alg": "ES384", "use": "sig"}]}
        (directory / "jwks.json").write_text(json.dumps(keys, indent=1), encoding="utf-8")
    return serialization.load_pem_private_key(pem.read_bytes(), password=None)


def mint(key, audience: str, *, issuer: str = ISSUER, kid: str = KID, alg: str = "ES384", **claims) -> str:
    """A CDS Hooks JWT for one call to ``audience``, with a fresh ``jti``; ``claims`` add or override."""
    now = int(time.time())
    payload = {"iss": issuer, "aud": audience, "iat": now, "exp": now + LIFETIME, "jti": str(uuid.uuid4()), **claims}
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid, "typ": "JWT"})
