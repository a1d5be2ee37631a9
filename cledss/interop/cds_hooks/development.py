"""A local stand-in for an EHR, so a newcomer can call the CDS service with curl (`make cds-token`).

Development only: its key pair is made on first use in ``.cds-dev/`` (ignored by git) and its issuer is
trusted in development when ``CLEDSS_CDS_CLIENTS`` is not set (clients.py). Production never trusts it:
it trusts only the EHRs ``CLEDSS_CDS_CLIENTS`` names, and refuses this issuer there. Plain PyJWT and
cryptography, no Django, so the benches mint tokens with it too.
"""

import json
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ISSUER = "urn:cledss:development-ehr"
KID = "cledss-development"
LIFETIME = 300  # seconds: a token is for one call, made now


def key_set(directory: Path) -> Path:
    """The development EHR's public JWK Set, written beside its private key."""
    return directory / "jwks.json"


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
        key_set(directory).write_text(json.dumps(keys, indent=1), encoding="utf-8")
    return serialization.load_pem_private_key(pem.read_bytes(), password=None)


def mint(key, audience: str, *, issuer: str = ISSUER, kid: str = KID, alg: str = "ES384", **claims) -> str:
    """A CDS Hooks JWT for one call to ``audience``, with a fresh ``jti``; ``claims`` add or override."""
    now = int(time.time())
    payload = {"iss": issuer, "aud": audience, "iat": now, "exp": now + LIFETIME, "jti": str(uuid.uuid4()), **claims}
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid, "typ": "JWT"})
