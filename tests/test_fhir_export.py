"""The FHIR R5 export of the published evidence: valid, and its numbers are the findings'."""

from decimal import Decimal

import pytest
from fhir.resources.bundle import Bundle

from cledss.evidence import workflow
from cledss.evidence.models import Finding as FindingRow
from cledss.evidence.snapshot import published_snapshot
from cledss.interop.fhir import evidence_bundle, version_id

LABEL = "Informational, not a prescribing tool"
STATISTIC_TYPE = "http://terminology.hl7.org/CodeSystem/statistic-type"


@pytest.fixture
def bundle(client, seeded):
    response = client.get("/fhir/Bundle/evidence")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["X-Cledss-Label"] == LABEL
    return response.json()


def resources(bundle, kind):
    return {e["resource"]["id"]: e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind}


def statistic_type(resource):
    return resource["statistic"][0]["statisticType"]["coding"][0]


def test_bundle_validates_against_the_r5_models(bundle):
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    assert {e.resource.get_resource_type() for e in parsed.entry} == {"Citation", "Evidence"}


def test_one_citation_per_source_and_one_evidence_per_published_finding(bundle):
    snapshot = published_snapshot()
    assert len(resources(bundle, "Citation")) == len(snapshot.sources)
    assert len(resources(bundle, "Evidence")) == len(snapshot.findings)


def test_bundle_carries_the_evidence_version_and_the_label(bundle):
    version = version_id(published_snapshot())
    assert bundle["meta"]["versionId"] == version
    tags = {t["system"]: t for t in bundle["meta"]["tag"]}
    assert tags["urn:cledss:evidence-version"]["code"] == version
    assert tags["urn:cledss:label"]["display"] == LABEL
    assert bundle["identifier"] == {"system": "urn:cledss:fhir", "value": "evidence"}


def test_every_number_equals_the_published_finding(bundle, seeded):
    evidence = resources(bundle, "Evidence")
    checked = 0
    for row in FindingRow.objects.filter(status="published").select_related("study"):
        resource = next(r for r in evidence.values() if r["identifier"][0]["value"] == f"{row.study.key}/{row.key}")
        if row.measure == "narrative":
            assert "statistic" not in resource
            continue
        statistic = resource["statistic"][0]
        if row.estimate is not None:
            assert Decimal(str(statistic["quantity"]["value"])) == row.estimate
        else:
            assert "quantity" not in statistic
        assert statistic.get("numberOfEvents") == row.numerator
        assert statistic.get("sampleSize", {}).get("numberOfParticipants") == row.denominator
        if row.interval:
            estimate = statistic["attributeEstimate"][0]
            assert Decimal(str(estimate["range"]["low"]["value"])) == row.lower
            assert Decimal(str(estimate["range"]["high"]["value"])) == row.upper
        checked += 1
    assert checked >= 20


def test_the_scle_odds_ratio_is_coded_as_an_odds_ratio_with_its_95_ci(bundle):
    remission = resources(bundle, "Evidence")["cortes-hernandez-2012.scle-long-term-remission"]
    assert statistic_type(remission) == {"system": STATISTIC_TYPE, "code": "C16932", "display": "Odds Ratio"}
    statistic = remission["statistic"][0]
    assert statistic["quantity"] == {"value": 30}
    estimate = statistic["attributeEstimate"][0]
    assert estimate["type"]["coding"][0]["code"] == "C53324"
    assert estimate["level"] == 0.95
    assert estimate["range"] == {"low": {"value": 5.82}, "high": {"value": 154.63}}
    assert remission["certainty"][0]["rating"]["coding"][0]["code"] == "very-low"


def test_the_response_rate_is_a_proportion_with_events_and_participants(bundle):
    response = resources(bundle, "Evidence")["cortes-hernandez-2012.response"]
    assert statistic_type(response)["code"] == "C44256"
    statistic = response["statistic"][0]
    assert statistic["numberOfEvents"] == 58
    assert statistic["sampleSize"] == {"numberOfParticipants": 59}
    assert statistic["quantity"]["value"] == 98 and statistic["quantity"]["code"] == "%"
    assert response["certainty"][0]["rating"]["coding"][0]["code"] == "low"


def test_counts_without_a_reported_percentage_get_no_invented_quantity(bundle):
    stopped = resources(bundle, "Evidence")["cortes-hernandez-2012.stopped-for-adverse-effects"]
    statistic = stopped["statistic"][0]
    assert "quantity" not in statistic
    assert (statistic["numberOfEvents"], statistic["sampleSize"]["numberOfParticipants"]) == (1, 60)


def test_each_evidence_cites_its_citation_inside_the_bundle(bundle):
    full_urls = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    for resource in resources(bundle, "Evidence").values():
        cited = full_urls[resource["citeAsReference"]["reference"]]
        assert cited["resourceType"] == "Citation"
    primary = resources(bundle, "Citation")["cortes-hernandez-2012"]
    identifiers = {i["system"]: i["value"] for i in primary["citedArtifact"]["identifier"]}
    assert identifiers == {"https://pubmed.ncbi.nlm.nih.gov": "21999437", "https://doi.org": "10.1111/j.1365-2133.2011.10693.x"}


def test_the_url_is_stable_and_the_etag_follows_the_evidence_version(client, bundle):
    again = client.get("/fhir/Bundle/evidence")
    assert again.json() == bundle
    assert again["ETag"] == f'"{bundle["meta"]["versionId"]}"'
    assert client.get("/fhir/Bundle/evidence", HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_a_new_evidence_version_changes_the_bundle(client, bundle, seeded, reviewer):
    row = FindingRow.objects.get(study__key="chasset-2018", key="response")
    workflow.retract(row, reviewer=reviewer, note="superseded")
    changed = client.get("/fhir/Bundle/evidence").json()
    assert changed["meta"]["versionId"] != bundle["meta"]["versionId"]
    assert len(changed["entry"]) == len(bundle["entry"]) - 1


def test_the_builder_is_pure_and_validates_on_the_seed_without_a_database(snapshot):
    built = evidence_bundle(snapshot)
    assert built["meta"]["versionId"] == "seed"
    Bundle.model_validate(built)


def test_the_export_is_read_only(client, seeded):
    assert client.post("/fhir/Bundle/evidence").status_code == 405


def test_with_nothing_published_the_bundle_is_empty_but_still_valid(client, db):
    response = client.get("/fhir/Bundle/evidence")
    assert response.status_code == 200
    empty = response.json()
    assert "entry" not in empty
    Bundle.model_validate(empty)


def measured_variable(resource) -> str:
    variables = resource["variableDefinition"]
    return next(v["description"] for v in variables if v["variableRole"]["coding"][0]["code"] == "measuredVariable")


def test_each_measured_variable_is_named_as_its_source_names_it(bundle):
    evidence = resources(bundle, "Evidence")
    assert measured_variable(evidence["cortes-hernandez-2012.cerebral-ischaemia"]) == "cerebral ischaemic events"
    title = evidence["cortes-hernandez-2012.cerebral-ischaemia"]["title"]
    assert title == "Cortés-Hernández et al. 2012: cerebral ischaemic events"
    assert measured_variable(evidence["chasset-2018.thromboembolic-events"]) == "thromboembolic events"
    stent = evidence["j-dermatolog-treat-cohort.arterial-stent-thrombosis"]
    assert measured_variable(stent) == "arterial stent thrombosis"
    assert measured_variable(evidence["cortes-hernandez-2012.scle-long-term-remission"]) == (
        "long-term remission after stopping (Subacute CLE (SCLE))"
    )
    assert not [r["id"] for r in evidence.values() if measured_variable(r) == "thrombosis"]


def test_curator_notes_explaining_printed_mismatches_travel_as_evidence_notes(bundle):
    evidence = resources(bundle, "Evidence")
    [partial] = evidence["j-dermatolog-treat-cohort.partial-response"]["note"]
    assert "4/24 is 17%" in partial["text"] and "27%" in partial["text"]
    [relapse] = evidence["knop-1983.relapse"]["note"]
    assert "30/41 is 73%" in relapse["text"]
    noted = {row_id for row_id, resource in evidence.items() if "note" in resource}
    assert noted == {"j-dermatolog-treat-cohort.partial-response", "knop-1983.relapse", "ordi-ros-2000.relapse"}
