"""The EHRs trusted to call the CDS Hooks service, read from ``CLEDSS_CDS_CLIENTS`` when settings load.

A JSON list, one object per EHR (CDS Hooks 2.0, "Trusting CDS Clients")::

    [{"issuer": "https://ehr.example.org/",                       # the JWT's iss, exactly
      "jwks_url": "https://ehr.example.org/.well-known/jwks.json", # or "jwks": {...} or "jwks_file": "/path"
      "jku": ["https://ehr.example.org/.well-known/jwks.json"],    # JWK Set URLs a token may name (optional)
      "tenants": ["2ddd6c3a-8e9a-44c6-a305-52111ad302a2"]}]        # accepted tenant claims (optional)

Plain Python and PyJWT only: settings import it before Django is ready. A mistake in the list stops
cledss from starting with a message that names the EHR and the field, never a half-trusted service.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jwt

_FIELDS = {"issuer", "jwks_url", "jwks", "jwks_file", "jku", "tenants"}


class ClientConfigurationError(ValueError):
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


def parse_clients(text: str, *, production: bool) -> tuple[Client, ...]:
    """The clients a JSON list describes; production also requires https for every key URL."""
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
