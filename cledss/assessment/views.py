from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import pdf
from .forms import AssessmentForm
from .summary import summary_body


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


def _summary_context(request: HttpRequest, *, pdf: bool = False) -> tuple[AssessmentForm, dict | None]:
    """Read the patient's features from the query string and summarise them; no context if they are invalid."""
    form = AssessmentForm(request.GET)
    if not form.is_valid():
        return form, None
    summary, version = summary_body(form.features(), language=get_language(), pdf=pdf)
    return form, {"summary": summary, "evidence_version": version, "generated_at": timezone.localtime()}


@read_only
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "assessment/form.html", {"form": AssessmentForm()})


@read_only
def result(request: HttpRequest) -> HttpResponse:
    form, context = _summary_context(request)
    if context is None:
        return render(request, "assessment/form.html", {"form": form}, status=400)
    return render(request, "assessment/result.html", context)


@read_only
def result_pdf(request: HttpRequest) -> HttpResponse:
    form, context = _summary_context(request, pdf=True)
    paper = request.GET.get("paper", pdf.DEFAULT_PAPER)
    if context is None or paper not in pdf.PAPER_SIZES:
        return render(request, "assessment/form.html", {"form": form}, status=400)
    document = pdf.render_summary(request, context, paper=paper)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(context["generated_at"])}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
