"""A source and a certainty as the patient's handout words them (tables in cledss.clinical.handout.wording)."""

from django import template

from cledss.clinical.body_of_evidence import Certainty, Source
from cledss.clinical.handout import wording

register = template.Library()


@register.filter
def in_plain_words(source: Source):
    """'the main study', 'the drug label and its safety programme'..."""
    return wording.ROLES[source.role]


@register.filter
def how_sure(certainty: Certainty):
    return wording.SURE[certainty]
