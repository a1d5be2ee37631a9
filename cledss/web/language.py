"""Which language a visitor reads: the browser's preference on a first visit, their own choice after.

English pages keep unprefixed URLs (``prefix_default_language=False``), so Django's LocaleMiddleware
reads an unprefixed URL as English whatever the browser asks for. Only the form at ``/`` looks at
the browser: a result URL says its language and is kept per URL, so it never depends on a header.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_request

LANGUAGE_CODES = frozenset(code for code, _ in settings.LANGUAGES)


def preferred_language(request: HttpRequest) -> str:
    """The language chosen in the switcher (a cookie), else the browser's best supported one, else English."""
    return get_language_from_request(request, check_path=False)


def remember(response: HttpResponse, code: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


def chosen(request: HttpRequest, code: str, next_url: str) -> HttpResponse:
    """Remember the visitor's choice and show the page they asked for in it; a foreign ``next`` goes home."""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = translate_url("/", code)
    response = HttpResponseRedirect(next_url)
    response["Cache-Control"] = "no-store"
    return remember(response, code)
