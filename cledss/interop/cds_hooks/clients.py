"""The EHRs trusted to call the CDS Hooks service, read from ``CLEDSS_CDS_CLIENTS``.

A JSON list, one object per EHR (CDS Hooks 2.0, "Trusting CDS Clients")::

    [{"issuer": "https://ehr.example.org/",                       # the JWT's iss, exactly
      "jwks_url": "https://ehr.example.org/.well-known/jwks.json", # or "jwks": {...} or "jwks_file": "/path"
      "jku": ["https://ehr.example.org/.well-known/jwks.json"],    # JWK Set URLs a token may name (optional)
      "tenants": ["2ddd6c3a-8e9a-44c6-a305-52111ad302a2"]}]        # accepted tenant claims (optional)

Settings keep the variable's text as it is (``CDS_CLIENTS``, None when unset); ``registered()`` reads it
where the service needs it, once per value. A mistake in the list is never a half-trusted service: the
system check ``cledss.interop.E001`` (checks.py) reports it, so ``manage.py`` commands, runserver and each
gunicorn worker (gunicorn_conf.py) refuse to start, and any other use raises the same message.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jwt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import development

_FIELDS = {"issuer", "jwks_url", "jwks", "jwks_file", "jku", "tenants"}
UNSET_IN_PRODUCTION = (
    "CLEDSS_CDS_CLIENTS must list the EHRs trusted to call the CDS Hooks service in production "
    "(a JSON list; '[]' for none, which refuses every call): see docs/interop.md"
)
DEVELOPMENT_IN_PRODUCTION = "The development EHR cannot be trusted in production: remove it from CLEDSS_CDS_CLIENTS"


class ClientConfigurationError(ImproperlyConfigured):
    """CLEDSS_CDS_CLIENTS cannot be trusted as written; the message says where."""


@dataclass(frozen=True)
class Client:
    """One EHR: its issuer, where its public keys are, which ``jku`` URLs and tenants it may use."""

    issuer: str
    jwks_url: str = ""
    jwks: dict | None = None
    jwks_file: str = ""
    jku: tuple[str, ...] = ()
    tenants: tuple[str, ...] = ()

    def keys_from_file(self) -> dict:
        return json.loads(Path(self.jwks_file).read_text(encoding="utf-8"))


def registered() -> tuple[Client, ...]:
    """The EHRs this instance trusts; raises ClientConfigurationError when ``CLEDSS_CDS_CLIENTS`` is wrong."""
    return _read(settings.CDS_CLIENTS, production=settings.PRODUCTION, development_keys=settings.CDS_DEVELOPMENT_KEYS)


@lru_cache(maxsize=8)
def _read(text: str | None, *, production: bool, development_keys: Path) -> tuple[Client, ...]:
    """The clients ``text`` lists; with the variable unset, development trusts the local stand-in EHR of
    `make cds-token` and production refuses."""
    if text is not None:
        return parse_clients(text, production=production)
    if production:
        raise ClientConfigurationError(UNSET_IN_PRODUCTION)
    return (Client(development.ISSUER, jwks_file=str(development.key_set(development_keys))),)


def parse_clients(text: str, *, production: bool) -> tuple[Client, ...]:
    """The clients a JSON list describes; production also requires https for every key URL and refuses the
    development EHR."""
    try:
        entries = json.loads(text)
    except ValueError:
        raise ClientConfigurationError("CLEDSS_CDS_CLIENTS must be a JSON list of objects") from None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ClientConfigurationError("CLEDSS_CDS_CLIENTS must be a JSON list of objects")
    clients = tuple(_client(entry, production=production) for entry in entries)
    issuers = [client.issuer for client in clients]
    if len(set(issuers)) != len(issuers):
        raise ClientConfigurationError("CLEDSS_CDS_CLIENTS names an issuer twice")
    if production and development.ISSUER in issuers:
        raise ClientConfigurationError(DEVELOPMENT_IN_PRODUCTION)
    return clients


def _client(entry: dict, *, production: bool) -> Client:
    issuer = entry.get("issuer")
    if not isinstance(issuer, str) or not issuer:
        raise ClientConfigurationError("Each EHR in CLEDSS_CDS_CLIENTS needs an issuer (the JWT's iss)")
    where = f"CLEDSS_CDS_CLIENTS, issuer {issuer!r}"
    if unknown := set(entry) - _FIELDS:
        raise ClientConfigurationError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    sources = [name for name in ("jwks_url", "jwks", "jwks_file") if entry.get(name)]
    if len(sources) != 1:
        raise ClientConfigurationError(f"{where}: give exactly one of jwks_url, jwks or jwks_file")
    jku, tenants = _strings(entry, "jku", where), _strings(entry, "tenants", where)
    for url in (entry.get("jwks_url", ""), *jku):
        if url and urlsplit(url).scheme not in (("https",) if production else ("https", "http")):
            raise ClientConfigurationError(f"{where}: key URLs must use https, not {url!r}")
    client = Client(issuer, entry.get("jwks_url", ""), entry.get("jwks"), entry.get("jwks_file", ""), jku, tenants)
    if client.jwks is not None or client.jwks_file:
        _check_key_set(client, where)
    return client


def _strings(entry: dict, name: str, where: str) -> tuple[str, ...]:
    values = entry.get(name, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise ClientConfigurationError(f"{where}: {name} must be a list of strings")
    return tuple(values)


def _check_key_set(client: Client, where: str) -> None:
    """Inline and file key sets are read now, so a broken one stops the start, not a clinician's call."""
    try:
        keys = client.jwks if client.jwks is not None else client.keys_from_file()
        jwt.PyJWKSet.from_dict(keys)
    except (OSError, ValueError, TypeError, jwt.PyJWTError) as error:
        raise ClientConfigurationError(f"{where}: its JWK Set cannot be read ({error})") from None
