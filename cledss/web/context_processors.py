from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.http import urlencode

from cledss.clinical.assess import LABEL


def label(request):
    """The 'informational, not a prescribing tool' label, for every page."""
    return {"informational_label": LABEL}


# Far longer than any query the form produces; such a query is not echoed back into links.
LONGEST_QUERY_KEPT = 1024


def languages(request):
    """This same page, query string included, in each language the app speaks, through the switcher that remembers the choice."""
    query = request.META.get("QUERY_STRING", "")
    path = request.get_full_path() if len(query) <= LONGEST_QUERY_KEPT else request.path
    return {
        "language_links": [
            (code, name, f"{reverse('choose_language', args=[code])}?{urlencode({'next': translate_url(path, code)})}")
            for code, name in settings.LANGUAGES
        ]
    }
