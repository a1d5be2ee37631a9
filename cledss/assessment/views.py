from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page

from cledss.clinical.assess import assess
from cledss.clinical.evidence import EvidenceSnapshot
from cledss.evidence.snapshot import published_snapshot

from . import pdf
from .forms import AssessmentForm
from .pages import GENERATED_LATER, kept_page


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


def _summary_context(request: HttpRequest, snapshot: EvidenceSnapshot) -> tuple[AssessmentForm, dict | None]:
    """Read the patient's features from the query string and assess them; no context if they are invalid."""
    form = AssessmentForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, {"assessment": assess(form.features(), snapshot)}


# The form and result pages carry no secret (no CSRF token, no session data), so compressing them
# cannot leak one (BREACH); the admin, which does, is left uncompressed.
@read_only
@gzip_page
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "assessment/form.html", {"form": AssessmentForm.prefilled(request.GET)})


@read_only
@gzip_page
def result(request: HttpRequest) -> HttpResponse:
    snapshot = published_snapshot(get_language())

    def page() -> HttpResponse:
        form, context = _summary_context(request, snapshot)
        if context is None:
            return render(request, "assessment/form.html", {"form": form}, status=400)
        return render(request, "assessment/result.html", {**context, "generated": GENERATED_LATER})

    return kept_page(request, snapshot.version, page)


@read_only
def result_pdf(request: HttpRequest) -> HttpResponse:
    snapshot = published_snapshot(get_language())
    form = AssessmentForm(request.GET)
    paper = request.GET.get("paper", pdf.DEFAULT_PAPER)
    if not form.is_valid() or paper not in pdf.PAPER_SIZES:
        return render(request, "assessment/form.html", {"form": form}, status=400)
    features = form.features()
    now = timezone.localtime()
    document = pdf.kept(
        request,
        "assessment/result.html",
        lambda: {"assessment": assess(features, snapshot)},
        key=(snapshot.version, get_language(), features),
        paper=paper,
        moment=now,
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(now)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
