"""Short numbered citations into the page's reference list, so a statement's basis is one click away."""

from django import template
from django.utils.html import format_html, format_html_join

from cledss.clinical.body_of_evidence import Source

register = template.Library()


@register.simple_tag(takes_context=True)
def cite(context, sources) -> str:
    """'[1, 3]' for one source or several, each number a link to its entry in the reference list of this page's assessment."""
    numbers = reference_list(context).references
    sources = (sources,) if isinstance(sources, Source) else sources
    links = format_html_join(", ", '<a class="cite" href="#r{0}">{0}</a>', ((numbers[source.key],) for source in sources))
    return format_html("[{}]", links)


def reference_list(context):
    """What this page's reference list numbers: the handout's own short list on a handout, else the assessment's."""
    return context.get("handout") or context["assessment"]
