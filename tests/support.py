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


def draft_finding(**overrides):
    """A new finding for Cuadrado 2005, with the neuropathy figure its abstract reports (13/48, 27%)."""
    from cledss.evidence.models import Finding, Study

    values = dict(
        study=Study.objects.get(key="cuadrado-2005"),
        key="neuropathy-confirmed",
        outcome="neuropathy_confirmed",
        measure="proportion",
        numerator=13,
        denominator=48,
        estimate="27",
        statement="had neuropathy during treatment, 11 of them proven by electromyography",
        certainty="low",
        certainty_reason="Observational cohort.",
    )
    values.update(overrides)
    finding = Finding(**values)
    finding.full_clean()
    finding.save()
    return finding


SCLE_RESULT = "/result/?subtype=scle&antimalarial_status=refractory"
