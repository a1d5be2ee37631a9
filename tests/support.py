"""Small builders the tests share."""

import html
import re

from cledss.clinical.features import AntimalarialStatus, PatientFeatures, Subtype


def patient(subtype="scle", antimalarial_status="refractory", **safety) -> PatientFeatures:
    return PatientFeatures(Subtype(subtype), AntimalarialStatus(antimalarial_status), **safety)


def page_text(response) -> str:
    """The visible text of an HTML response, whitespace collapsed, for asserting on sentences."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
