"""Trusting CDS Clients (CDS Hooks 2.0): every call carries a JWT signed by an EHR cledss knows.

``authenticated(request)`` says whether the request's ``Authorization: Bearer`` token

- has the header fields ``alg`` (ES384 or RS384 only: never ``none``, never a shared-secret HMAC),
  ``kid`` and ``typ: JWT``;
- comes from an allowlisted issuer and verifies against that issuer's JWK Set: the one configured
  for it, or the one at the token's ``jku`` when that URL is on the issuer's own ``jku`` list (an
  arbitrary ``jku`` is never fetched: that would let a caller make cledss request any URL); the key
  the ``kid`` names must be a public key of the header's algorithm (RSA for RS384, P-384 for ES384);
- names this endpoint's public URL (``CLEDSS_PUBLIC_URL`` + path, never the Host header) in ``aud``,
  has ``exp``, ``iat`` (numbers) and ``jti`` (printable text), is in date, and carries an allowed
  ``tenant`` when the issuer has some;
- has not been seen before: its ``jti`` is recorded in the database until the token expires, so a
  replay is refused by every worker and every app server that shares the database.

Which check failed is never told to the caller, and neither token is logged or stored (only a hash
of issuer and ``jti``). Fetched key sets are cached for five minutes, fetched with a short timeout.
"""

import hashlib
from datetime import UTC, datetime, timedelta
from functools import cache

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from ..models import SeenToken
from .clients import Client, registered

ALGORITHMS = ("ES384", "RS384")  # the specification's recommendation; both asymmetric
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti"]
LEEWAY = timedelta(seconds=30)  # clock skew between the EHR and cledss
FETCH_TIMEOUT = 3  # seconds: a slow key server must not hold a clinician's card for long
KEY_SET_LIFESPAN = 300  # seconds a fetched JWK Set is trusted before it is fetched again


class Refused(Exception):
    """The token is not trusted; why stays on the server."""


def authenticated(request: HttpRequest, audiences: list[str]) -> bool:
    """Whether the request carries a fresh, valid JWT from a registered EHR for one of ``audiences``."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    try:
        claims = verified_claims(token.strip(), audiences)
        _record_once(claims)
    except (Refused, jwt.PyJWTError):
        return False
    return True


def endpoint_audiences(path: str, *also: str) -> list[str]:
    """The ``aud`` values a call to ``path`` may carry: this endpoint's public URL (and any ``also``)."""
    base = settings.CDS_PUBLIC_URL.rstrip("/")
    return [f"{base}{p}" for p in (path, *also)]


def verified_claims(token: str, audiences: list[str]) -> dict:
    """The token's claims once its header, signature, issuer, audience, dates and tenant check out."""
    header = jwt.get_unverified_header(token)
    alg, kid, kind = header.get("alg"), header.get("kid"), header.get("typ")
    if alg not in ALGORITHMS or not isinstance(kid, str) or not kid or kind != "JWT":
        raise Refused("header")
    issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    client = _clients().get(issuer) if isinstance(issuer, str) else None
    if client is None:
        raise Refused("issuer")
    key = _signing_key(client, kid, header.get("jku")).key
    if not _fits(key, alg):
        # PyJWT would raise TypeError (or AttributeError for a private key) rather than refuse: a header
        # naming RS384 with the kid of an EC key was a 500 for anyone, with no valid signature needed.
        raise Refused("key type")
    claims = jwt.decode(
        token,
        key,  # the key itself, not the PyJWK, so the header's alg decides and not what the JWK guesses
        algorithms=[alg],
        audience=audiences,
        issuer=client.issuer,
        leeway=LEEWAY,
        options={"require": REQUIRED_CLAIMS},
    )
    if client.tenants and claims.get("tenant") not in client.tenants:
        raise Refused("tenant")
    # PyJWT reads "9999999999" as a date; a NumericDate is a JSON number (RFC 7519), and the replay
    # guard needs one for exp.
    if any(isinstance(claims[name], bool) or not isinstance(claims[name], (int, float)) for name in ("exp", "iat")):
        raise Refused("dates")
    # Printable only: the jti is hashed as UTF-8, which a lone surrogate ("\ud800", valid JSON) has no
    # encoding in, and str.isprintable() is False for surrogates as for control characters.
    jti = claims["jti"]
    if not isinstance(jti, str) or not 0 < len(jti) <= 256 or not jti.isprintable():
        raise Refused("jti")
    return claims


def _fits(key, alg: str) -> bool:
    """Whether ``key`` is a public key that ``alg`` verifies with."""
    match alg:
        case "RS384":
            return isinstance(key, rsa.RSAPublicKey)
        case "ES384":
            return isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP384R1)
    return False


def _signing_key(client: Client, kid: str, jku) -> jwt.PyJWK:
    if jku is not None:
        if jku not in client.jku:
            raise Refused("jku")  # checked before any request is made to it
        return _fetched_key(jku, kid)
    if client.jwks_url:
        return _fetched_key(client.jwks_url, kid)
    keys = client.jwks if client.jwks is not None else _file_keys(client)
    try:
        return jwt.PyJWKSet.from_dict(keys)[kid]
    except KeyError:
        raise Refused("kid") from None


def _file_keys(client: Client) -> dict:
    try:
        return client.keys_from_file()
    except (OSError, ValueError):
        raise Refused("keys") from None


def _fetched_key(url: str, kid: str) -> jwt.PyJWK:
    try:
        return _fetched_keys(url).get_signing_key(kid)
    except (OSError, ValueError):
        # PyJWT wraps a failed connection, not a reset mid-answer (OSError) nor an answer that is not
        # JSON (ValueError): either is the key server's fault, and the caller is refused all the same.
        raise Refused("keys") from None


@cache
def _fetched_keys(url: str) -> jwt.PyJWKClient:
    """One client per allowlisted URL, so its cached key set serves every call of this process."""
    return jwt.PyJWKClient(url, cache_jwk_set=True, lifespan=KEY_SET_LIFESPAN, timeout=FETCH_TIMEOUT)


def _clients() -> dict[str, Client]:
    return {client.issuer: client for client in registered()}


def _record_once(claims: dict) -> None:
    """Keep the token's id until it expires; a second use of it is refused here, whichever server sees it."""
    key = hashlib.sha256(f"{claims['iss']}\n{claims['jti']}".encode()).hexdigest()
    try:
        expires = datetime.fromtimestamp(claims["exp"], tz=UTC) + LEEWAY
    except (OverflowError, OSError, ValueError):
        raise Refused("exp") from None  # beyond any date the database can hold
    try:
        with transaction.atomic():
            SeenToken.objects.filter(expires_at__lt=timezone.now()).delete()
            SeenToken.objects.create(key=key, expires_at=expires)
    except IntegrityError:
        raise Refused("replay") from None
