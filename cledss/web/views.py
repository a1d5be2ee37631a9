from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page

from cledss.clinical.assess import LABEL, assess
from cledss.clinical.body_of_evidence import EvidenceSnapshot
from cledss.clinical.features import contract
from cledss.clinical.handout import handout as handout_for
from cledss.evidence.snapshot import published_snapshot, snapshot_or_last_confirmed

from . import language, paper, pdf
from . import whats_new as changes
from .forms import AssessmentForm
from .page_cache import GENERATED_LATER, OUTAGE_LATER, kept_page


def read_only(view):
    """Allow GET and HEAD only, answering anything else with a readable 405 page.

    CSRF checks are waived because these views never change anything; without the waiver a
    stray POST would get the CSRF failure page instead of being told which methods work.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = render(request, "405.html", status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return wrapper


def features_only(*also: str):
    """Answer a URL holding parameters that are not the patient's features (or ``also``) with a redirect to the
    URL without them, and every answer with ``Cache-Control: no-store``.

    An EHR may append its own identifiers to a link (``mrn=...``); they are then neither repeated into this
    page's links nor bookmarked or kept by a browser, and the features themselves stay out of every cache.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            known = {feature.name for feature in contract()} | set(also)
            if set(request.GET) - known:
                own = urlencode([(name, value) for name, values in request.GET.lists() if name in known for value in values])
                response = redirect(f"{request.path}?{own}" if own else request.path)
            else:
                response = view(request, *args, **kwargs)
            patch_cache_control(response, no_store=True)
            return response

        return wrapper

    return decorate


def _summary_context(request: HttpRequest, snapshot: EvidenceSnapshot) -> tuple[AssessmentForm, dict | None]:
    """Read the patient's features from the query string and assess them; no context if they are invalid."""
    form = AssessmentForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, {"assessment": assess(form.features(), snapshot), "version_entry": _version_entry(snapshot)}


def _version_entry(snapshot: EvidenceSnapshot) -> str:
    """The version's entry on the What's new page (relative: a kept page serves every host name)."""
    anchor = changes.version_anchor(snapshot.version)
    return reverse("web:whats_new") + (f"#{anchor}" if anchor else "")


# The form and result pages carry no secret (no CSRF token, no session data), so compressing them
# cannot leak one (BREACH); the admin, which does, is left uncompressed.
@read_only
@features_only()
@gzip_page
def start(request: HttpRequest) -> HttpResponse:
    """The form; a browser that prefers Spanish (and has not chosen English) is sent to the Spanish one."""
    preferred = language.preferred_language(request)
    if get_language() == settings.LANGUAGE_CODE and preferred != settings.LANGUAGE_CODE:
        response = redirect(translate_url(request.get_full_path(), preferred))
    else:
        # The form shows no evidence, so no version is part of its key; its query prefills it.
        response = kept_page(request, "", lambda: render(request, "web/form.html", {"form": AssessmentForm.prefilled(request.GET)}))
    # The same URL answers differently by header and cookie, so no shared cache may mix them up.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The language switcher: remember the choice, then show the page in that language."""
    if code not in language.LANGUAGE_CODES:
        raise Http404
    return language.chosen(request, code, request.GET.get("next", ""))


@read_only
@features_only()
@gzip_page
def result(request: HttpRequest) -> HttpResponse:
    return _page(request, "web/result.html", lambda assessment: {"assessment": assessment})


@read_only
@features_only("paper")
def result_pdf(request: HttpRequest) -> HttpResponse:
    """The chart summary: two pages with the label, the inputs, the key points, this patient's statements, the safety
    facts, the pictures and the references they cite."""
    return _pdf(request, "summary", paper.summary)


@read_only
@features_only("paper")
def full_evidence_pdf(request: HttpRequest) -> HttpResponse:
    """Every section of the result page, its pictures and tables and every reference, on paper."""
    return _pdf(request, "full_evidence", paper.full_evidence)


def _handout(assessment) -> dict:
    return {"handout": handout_for(assessment)}


@read_only
@features_only()
@gzip_page
def handout(request: HttpRequest) -> HttpResponse:
    """The plain-language handout for the patient, from the same assessment as the result page."""
    return _page(request, "web/handout.html", _handout)


@read_only
@features_only("paper")
def handout_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf(request, "handout", paper.handout)


def _page(request: HttpRequest, template: str, context_of) -> HttpResponse:
    # A page can be drawn from evidence this worker confirmed a few minutes ago: it says so.
    snapshot, confirmed = snapshot_or_last_confirmed(get_language())

    def page() -> HttpResponse:
        form, context = _summary_context(request, snapshot)
        if context is None:
            return render(request, "web/form.html", {"form": form}, status=400)
        moments = {"generated": GENERATED_LATER, "outage_note": OUTAGE_LATER}
        return render(request, template, {**context, **context_of(context["assessment"]), **moments})

    return kept_page(request, snapshot.version, page, confirmed)


def _pdf(request: HttpRequest, document: str, data_of) -> HttpResponse:
    """``document`` typeset afresh for the patient in the query, from its data (``data_of``, one of paper.py's)."""
    snapshot = published_snapshot(get_language())
    form = AssessmentForm(request.GET)
    size = request.GET.get("paper", pdf.DEFAULT_PAPER)
    if form.is_valid() and size not in pdf.PAPER_SIZES:
        form.add_error(None, _("The paper size must be one of: %(sizes)s.") % {"sizes": ", ".join(pdf.PAPER_SIZES)})
    if form.errors:
        return render(request, "web/form.html", {"form": form}, status=400)
    now = timezone.localtime()
    # On paper a link must say where it leads in full, so the version's entry names this host.
    entry = request.build_absolute_uri(_version_entry(snapshot))
    data = data_of(assess(form.features(), snapshot), moment=now, version_entry=entry)
    response = HttpResponse(pdf.typeset(document, data, paper=size), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(now, document)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@read_only
@gzip_page
def whats_new(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/whats_new.html",
        {"entries": changes.entries(get_language()), "search": changes.latest_search(), "sources": changes.source_reviews(get_language())},
    )


def _entry_url(request: HttpRequest, entry) -> str:
    return request.build_absolute_uri(f"{reverse('web:whats_new')}#{entry.anchor}")


def _search_text(search) -> str:
    if search is None:
        return ""
    return (get_language() == "es" and search.description_es) or search.description


@read_only
def whats_new_json(request: HttpRequest) -> HttpResponse:
    """The same entries for a hospital's systems to watch; the label travels with them."""
    search = changes.latest_search()
    document = {
        "label": str(LABEL),
        "language": get_language(),
        "literature_last_searched": {"on": search.searched_on.isoformat(), "description": _search_text(search)} if search else None,
        "sources": [{"key": s.key, "source": s.short, "last_reviewed": s.last_reviewed.isoformat() if s.last_reviewed else None} for s in changes.source_reviews(get_language())],
        "versions": [
            {
                "number": entry.number,
                "published_at": entry.published_at.isoformat(),
                "content_hash": entry.content_hash,
                "url": _entry_url(request, entry),
                "summary": entry.summary,
                "changes": [
                    {"change": c.kind, "source": c.source, "finding": c.statement, "old": c.old or None, "new": c.new or None, "fields": list(c.fields)}
                    for c in entry.changes
                ],
            }
            for entry in changes.entries(get_language())
        ],
    }
    return _for_machines_or_people(
        request, JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2}), "JSON"
    )


@read_only
def whats_new_atom(request: HttpRequest) -> HttpResponse:
    feed = changes.TextAtomFeed(
        title=_("cledss: what's new in the evidence"),
        link=request.build_absolute_uri(reverse("web:whats_new")),
        description=str(LABEL),
        subtitle=str(LABEL),
        language=get_language(),
        feed_url=request.build_absolute_uri(),
    )
    for entry in changes.entries(get_language()):
        feed.add_item(
            title=_("Evidence version %(number)s") % {"number": entry.number},
            link=_entry_url(request, entry),
            description="\n".join([entry.summary, *(c.line for c in entry.changes), str(LABEL)]).strip(),
            pubdate=entry.published_at,
            updateddate=entry.published_at,
            unique_id=f"urn:cledss:evidence-version:{entry.number}:{entry.content_hash}",
        )
    return _for_machines_or_people(
        request, HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"), "Atom"
    )


def _for_machines_or_people(request: HttpRequest, response: HttpResponse, name: str) -> HttpResponse:
    """The feed itself for a program; for a browser that asks for a web page first, the same text in one.

    Browsers show bare JSON or XML in a viewer without a title or language, so a person who opens the
    link gets a titled, labelled page holding exactly the text a program receives.
    """
    media_type = response["Content-Type"].split(";")[0]
    if request.get_preferred_type([media_type, "text/html"]) == "text/html":
        response = render(
            request,
            "web/feed_as_page.html",
            {"feed_name": name, "media_type": media_type, "feed_text": response.content.decode()},
        )
    patch_vary_headers(response, ("Accept",))
    return response
