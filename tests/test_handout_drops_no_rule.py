"""The handout never drops one of the pregnancy prevention programme's rules without a word: a sheet for someone
the clinician recorded as unable to become pregnant names the rules it leaves out and why, and still gives the
rules for men and for every prescription."""

from cledss.clinical.assess import assess
from cledss.clinical.body_of_evidence import Outcome
from cledss.clinical.handout import handout, wording
from tests.support import page_text, patient
from tests.test_handout import says

NOT_TRIED = "subtype=tumidus&antimalarial_status=not_tried"


def _pregnancy_part(snapshot, **features):
    return handout(assess(patient(**features), snapshot)).part("pregnancy")


def _left_out(part):
    return [s for s in part.statements if says(s, wording.RULES_LEFT_OUT)]


def test_the_sheet_names_the_rules_it_leaves_out_and_why(snapshot):
    part = _pregnancy_part(snapshot, subtype="tumidus", antimalarial_status="not_tried")
    (left_out,) = _left_out(part)
    assert left_out.text == (
        "Your doctor recorded that you cannot become pregnant. So this sheet leaves out the programme's rules for "
        "people who can: two kinds of birth control and pregnancy tests."
    )
    # It rests on the rules it names, so it cites the label and carries its regulatory certainty.
    assert {f.key for f in left_out.findings} == {"rems-contraception", "rems-pregnancy-tests", "uk-eu-ppp"}
    assert left_out.certainty == "regulatory"


def test_the_rules_for_men_and_for_every_prescription_stay_on_the_sheet(snapshot):
    texts = [s.text for s in _pregnancy_part(snapshot, subtype="tumidus", antimalarial_status="not_tried").statements]
    assert texts[0].startswith("Thalidomide causes severe birth defects")
    assert texts[1].startswith("Your doctor recorded that you cannot become pregnant.")
    assert "requires men to use a condom during treatment and for 4 weeks after" in texts[2]
    assert "not to give sperm" in texts[2]
    assert "28 days at most" in texts[3]


def test_every_rule_of_the_programme_is_given_or_named_whoever_the_sheet_is_for(snapshot):
    rules = {f.key for f in snapshot.find(Outcome.PREGNANCY_PREVENTION)}
    for pregnant in (False, True):
        part = _pregnancy_part(snapshot, can_become_pregnant=pregnant)
        accounted = {f.key for s in part.statements for f in s.findings if f.outcome == Outcome.PREGNANCY_PREVENTION}
        assert accounted == rules


def test_someone_who_can_become_pregnant_reads_every_rule_and_nothing_left_out(snapshot):
    assert not _left_out(_pregnancy_part(snapshot, can_become_pregnant=True))


def test_the_handout_page_says_what_it_left_out_with_its_source(client, seeded):
    text = page_text(client.get(f"/result/handout/?{NOT_TRIED}"))
    assert (
        "So this sheet leaves out the programme's rules for people who can: two kinds of birth control and pregnancy "
        "tests. From the drug label and its safety programme"
    ) in text
