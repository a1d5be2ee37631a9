"""Card uuids that carry their card's kind, so that feedback knows which override reasons a card offered while
cledss keeps nothing about the card, its call or its patient.

A uuid is RFC 4122 version 4 in form: 64 random bits (less the version's four), then a 64-bit HMAC of those bits
and the card's kind under the server's secret key (less the variant's two). Only this server can read the kind
back, and it reads nothing else: two cards of one kind share no bits but the version and variant.
"""

import secrets
import uuid
from collections.abc import Iterable

from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "cledss.interop.cds_hooks.card_ids"


def issue(kind: str, secret: str) -> str:
    nonce = bytearray(secrets.token_bytes(8))
    nonce[6] = nonce[6] & 0x0F | 0x40  # version 4
    return str(uuid.UUID(bytes=bytes(nonce) + _tag(bytes(nonce), kind, secret)))


def kind_of(card: uuid.UUID, kinds: Iterable[str], secrets_: Iterable[str]) -> str | None:
    """The kind a card's uuid was issued for, under the current secret key or a former one; None for a uuid
    cledss did not issue."""
    nonce, tag = card.bytes[:8], card.bytes[8:]
    keys = tuple(secrets_)
    return next((k for k in kinds for key in keys if constant_time_compare(_tag(nonce, k, key), tag)), None)


def _tag(nonce: bytes, kind: str, secret: str) -> bytes:
    tag = bytearray(salted_hmac(SALT, nonce + kind.encode(), secret=secret, algorithm="sha256").digest()[:8])
    tag[0] = tag[0] & 0x3F | 0x80  # the RFC 4122 variant
    return bytes(tag)
