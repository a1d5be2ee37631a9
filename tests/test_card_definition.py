"""Every card of every scenario checked as an EHR checks a CDS Hooks 2.0 response: the Card definition's required
fields, the summary's length, the indicator's values, the source's label and topic (a Coding), the link types
and each override reason a Coding with a display (HL7 CDS Hooks 2.0, "Card Attributes" and "Coding")."""

import json
import uuid
from urllib.parse import urlsplit

import pytest

from tests.cds_scenarios import scenarios

CARD_FIELDS = {"uuid", "summary", "detail", "indicator", "source", "suggestions", "selectionBehavior", "overrideReasons",
               "links"}
INDICATORS = {"info", "warning", "critical"}
LINK_TYPES = {"absolute", "smart"}
SELECTION_BEHAVIORS = {"at-most-one", "any"}


def absolute_url(value) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def coding_problems(coding, where: str, *, display_required: bool) -> list[str]:
    if not isinstance(coding, dict):
        return [f"{where} is not a Coding"]
    problems = [f"{where}.{name} is not a non-empty string" for name in ("code", "system")
                if not (isinstance(coding.get(name), str) and coding[name])]
    if display_required and not (isinstance(coding.get("display"), str) and coding["display"]):
        problems.append(f"{where}.display is required")
    return problems


def card_problems(card) -> list[str]:
    """What in ``card`` breaks CDS Hooks 2.0's Card definition; nothing for a conforming card."""
    if not isinstance(card, dict):
        return ["a card is not an object"]
    problems = [f"unknown field {name}" for name in set(card) - CARD_FIELDS]
    if "uuid" in card:
        try:
            uuid.UUID(card["uuid"])
        except (ValueError, TypeError, AttributeError):
            problems.append("uuid is not a uuid")
    summary = card.get("summary")
    if not (isinstance(summary, str) and 0 < len(summary) < 140):
        problems.append("summary must be a string of fewer than 140 characters")
    if "detail" in card and not isinstance(card["detail"], str):
        problems.append("detail must be a (Markdown) string")
    if card.get("indicator") not in INDICATORS:
        problems.append("indicator must be info, warning or critical")
    source = card.get("source")
    if not (isinstance(source, dict) and isinstance(source.get("label"), str) and source["label"]):
        problems.append("source.label is required")
    else:
        problems += [f"source.{name} is not an absolute URL" for name in ("url", "icon")
                     if name in source and not absolute_url(source[name])]
        if "topic" in source:
            problems += coding_problems(source["topic"], "source.topic", display_required=False)
    if "suggestions" in card and card.get("selectionBehavior") not in SELECTION_BEHAVIORS:
        problems.append("suggestions need a selectionBehavior of at-most-one or any")
    for n, reason in enumerate(card.get("overrideReasons", [])):
        problems += coding_problems(reason, f"overrideReasons[{n}]", display_required=True)
    for n, link in enumerate(card.get("links", [])):
        if not (isinstance(link, dict) and isinstance(link.get("label"), str) and link["label"]):
            problems.append(f"links[{n}].label is required")
            continue
        if not absolute_url(link.get("url")):
            problems.append(f"links[{n}].url is not an absolute URL")
        if link.get("type") not in LINK_TYPES:
            problems.append(f"links[{n}].type must be absolute or smart")
        if "appContext" in link and link.get("type") != "smart":
            problems.append(f"links[{n}].appContext is for smart links only")
    return problems


SOUND = {
    "uuid": "4e0a3a1e-3283-4575-ab82-028d55fe2719", "summary": "Example card", "indicator": "warning",
    "source": {"label": "Example", "topic": {"system": "http://example.org/topics", "code": "a"}},
    "overrideReasons": [{"system": "http://example.org/reasons", "code": "r", "display": "Reason"}],
    "links": [{"label": "App", "url": "https://smart.example.org/launch", "type": "smart", "appContext": "x"}],
}


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"summary": "x" * 140}, "summary must be a string of fewer than 140 characters"),
        ({"indicator": "danger"}, "indicator must be info, warning or critical"),
        ({"source": {"url": "https://example.org/"}}, "source.label is required"),
        ({"source": {"label": "Example", "topic": {"code": "a"}}}, "source.topic.system is not a non-empty string"),
        ({"overrideReasons": [{"system": "s", "code": "c"}]}, "overrideReasons[0].display is required"),
        ({"links": [{"label": "Page", "url": "/relative", "type": "absolute"}]}, "links[0].url is not an absolute URL"),
        ({"links": [{"label": "Page", "url": "https://a.example/", "type": "relative"}]}, "links[0].type must be absolute or smart"),
        ({"links": [{"label": "Page", "url": "https://a.example/", "type": "absolute", "appContext": "x"}]},
         "links[0].appContext is for smart links only"),
        ({"suggestions": [{"label": "Do"}]}, "suggestions need a selectionBehavior of at-most-one or any"),
        ({"uuid": "card-1"}, "uuid is not a uuid"),
        ({"systemAction": {}}, "unknown field systemAction"),
    ],
)
def test_the_check_finds_what_breaks_the_card_definition(change, problem):
    assert card_problems(SOUND) == []
    assert card_problems({**SOUND, **change}) == [problem]


@pytest.mark.parametrize("scenario", scenarios(), ids=lambda s: s.shows)
def test_every_card_of_every_scenario_keeps_the_card_definition(client, seeded, ehr, scenario):
    response = client.post(scenario.path, json.dumps(scenario.body), content_type="application/json",
                           **ehr.headers(scenario.path))
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"cards"} and isinstance(answer["cards"], list)
    for card in answer["cards"]:
        assert card_problems(card) == [], card["summary"]
        # cledss's own: informational, so no suggestion; every card links to the form and names its topic.
        assert "suggestions" not in card and card["links"] and card["source"]["topic"]["display"]
