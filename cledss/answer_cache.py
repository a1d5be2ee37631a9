"""Answers kept in this process's memory: result pages, API answers and the form.

Each is a pure function of its key (the evidence version, the language, the URL or the patient's
features), so it is made once and served again from memory. The key is hashed before it is used,
and the cache lives in the process only (settings.CACHES["pages"], a local-memory cache), so the
patient's features are written nowhere: not to disk, not to a shared cache server.
"""

import hashlib
from typing import TypeVar

from django.core.cache import caches

CACHE = "pages"
T = TypeVar("T")


def recall(key: tuple):
    """What was kept under ``key``, or None."""
    return caches[CACHE].get(_hashed(key))


def keep(key: tuple, value: T) -> T:
    """Keep ``value`` under ``key`` and return it."""
    caches[CACHE].set(_hashed(key), value)
    return value


def _hashed(key: tuple) -> str:
    return "kept:" + hashlib.sha256(repr(key).encode()).hexdigest()
