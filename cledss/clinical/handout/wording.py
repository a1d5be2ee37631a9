"""The handout's plain language, as tables: what each finding says to a patient, at about a 6th-8th grade
reading level (tests/test_handout.py measures it in English and Spanish).

Each sentence reports what a study found or what the programme requires; only the questions speak as the
patient. A sentence with a figure takes it from its finding through the same functions as the clinician's
page (``figure`` is the finding's own phrase, ``people`` an icon array's count of 100), never a number of its own.
Narrative facts are keyed by their finding, so a sentence appears only while its finding is published.
"""

from ..body_of_evidence import Certainty, Role
from ..phrases import _

# Counts out of a study's own people, for the sentences that give a finding's numerator and denominator.
COUNTED = _("%(count)s of %(total)s people")

LABEL = _("For information only. This sheet is not a prescription.")
TITLE = _("Thalidomide for skin lupus: what the studies found")

# --- What this sheet is for -------------------------------------------------------------------------
ABOUT = _("About this sheet")
FOR = _("Your doctor gave you this sheet to help you talk about thalidomide for lupus of the skin.")
DECISION = _("The choice to take it or not is yours, made with your doctor.")
OFF_LABEL = _(
    "Thalidomide is not approved for skin lupus. Doctors can still use it for this. This is called off-label use."
)
GUIDELINE = _(
    "A European expert guideline keeps thalidomide for some people whose skin lupus did not get better with other "
    "medicines."
)

# Whether the main study's numbers describe this patient: who it studied, then a sentence keyed by the fit.
STUDIED = _(
    "The main study looked at people whose skin lupus did not get better with hydroxychloroquine or a medicine like "
    "it."
)
LEFT_OUT = _("They are left out of this sheet. The safety facts below apply to everyone.")
FIT = {
    "inside": _("Your doctor's answers match the people in it."),
    "uncertain": _("You differ from them in some ways, so its numbers may not fully apply to you."),
    "outside": _("You are not like them, so its numbers on how well thalidomide works may not apply to you."),
    "unknown": _("It is not known if you are like them, so its numbers on how well thalidomide works may not apply "
                 "to you."),
}

# --- Benefit and relapse ----------------------------------------------------------------------------
# The pictures count the main study's people, whom a patient may match only in part (``FIT``).
BENEFIT = _("Out of 100 people in the main study")
RESPONSE = _("%(people)s out of 100 got better.")
COMPLETE_RESPONSE = _("%(people)s out of 100 had their skin clear up fully.")
RELAPSE = _("%(people)s out of 100 had the lupus come back after they stopped thalidomide or took less of it.")
RELAPSE_TITLE = _("Relapse")
EARLY_RESPONSE = _("In the main study, the change could already be seen %(figure)s after starting.")
RELAPSE_TIME = _("When it came back, it was most often %(figure)s after stopping or taking less.")
# What the main study found for the patient's own subtype, against its people with other subtypes (the
# comparator of the study's odds ratio), by outcome. Told right under the pictures, which count everyone.
SUBTYPE = {
    "long_term_remission": _("In the main study, people with your type of skin lupus, %(subtype)s, were more likely "
                             "than people with other types to stay clear for a long time after stopping."),
    "relapse": _("In the main study, people with your type of skin lupus, %(subtype)s, were more likely than people "
                 "with other types to have it come back."),
}
WHOLE_STUDY = _("These pictures count everyone in the main study, with every type of skin lupus.")

# --- Nerves -----------------------------------------------------------------------------------------
NERVES = _("Nerve damage")
NERVE_WARNING = _("Thalidomide can harm the nerves in the hands and feet. The drug label warns about this.")
# Sentences about this patient, placed before and after the warning they make matter more.
ALREADY = _("You already have nerve damage.")
MATTERS_MORE = _("This part of the sheet matters even more for you.")
PARAESTHESIA = _("%(people)s out of 100 people in the main study felt tingling or numbness in the hands or feet.")
# What testing everyone's nerves finds, beside the main study, which reported tests only for people with tingling.
SCREENED = _(
    "Studies that tested the nerves of everyone they treated, not only of people with symptoms, found nerve damage in "
    "%(counts)s."
)
# A cohort's count with what its source adds about it, by (source, finding).
SCREENED_COUNT = {
    ("yuki-2021", "neuropathy-confirmed"): _("%(count)s of %(total)s people (two in three of them had no symptoms)"),
}
TESTED_IF_TINGLING = _(
    "The main study reported nerve tests only for the %(total)s people with tingling or numbness. It found nerve "
    "damage in %(count)s of them."
)
# How a study scheduled its nerve tests, and the signs that began after stopping, by the finding each sentence
# says (that the other screening cohorts tested everyone is said with their counts, in ``SCREENED``).
NERVE_TESTS = {
    "emg-schedule": _("In one study, nerve tests were done before treatment and then every 3 to 6 months, or "
                      "sooner if signs showed up."),
}
AFTER_STOPPING = {
    "coasting": _("In one study, some people first felt nerve signs 1 to 3 months after they stopped thalidomide."),
}
NOT_REVERSED = _("In one study, the nerve damage did not go away in %(people)s out of 100 people who got it.")

# --- Pregnancy --------------------------------------------------------------------------------------
PREGNANCY = _("Pregnancy and birth defects")
BIRTH_DEFECTS = _(
    "Thalidomide causes severe birth defects that can be deadly for the baby. So it is only given through a "
    "programme to prevent pregnancy. In the US it is called the THALOMID REMS."
)
CAN_BECOME_PREGNANT = _("You can become pregnant.")
# The programme's rules, by the label finding each one says in plain words.
RULES = {
    "rems-contraception": _(
        "The programme requires people who can become pregnant to use two good kinds of birth control. This starts "
        "4 weeks before treatment. It goes on during treatment, breaks included, and for 4 weeks after."
    ),
    "rems-pregnancy-tests": _(
        "The programme requires a pregnancy test every week in the first month, then every month. With periods that are not "
        "regular, the test is every 2 weeks."
    ),
    "uk-eu-ppp": _("In the UK, a pregnancy test every 4 weeks comes before each prescription."),
    "rems-males-and-blood": _(
        "The programme requires men to use a condom during treatment and for 4 weeks after, and not to give sperm in that time. "
        "No one taking thalidomide may give blood."
    ),
    "rems-supply": _("Each prescription is for 28 days at most, with no automatic refills. It has to be filled "
                     "within 7 days."),
}
# Which rules reach whom: a person who can become pregnant gets theirs first, and everyone the rules for men
# (with the blood donation rule for all) and for each prescription.
RULES_FOR_PREGNANCY = ("rems-contraception", "rems-pregnancy-tests", "uk-eu-ppp", "rems-males-and-blood", "rems-supply")
RULES_FOR_OTHERS = ("rems-males-and-blood", "rems-supply")
# The rules a sheet leaves out, named in a few words each, so that none is dropped without a word.
RULE_NAMES = {
    "rems-contraception": _("two kinds of birth control"),
    "rems-pregnancy-tests": _("pregnancy tests"),
    "uk-eu-ppp": _("pregnancy tests"),
}
RULES_LEFT_OUT = _(
    "Your doctor recorded that you cannot become pregnant. So this sheet leaves out the programme's rules for people "
    "who can: %(rules)s."
)

# --- Other effects ----------------------------------------------------------------------------------
OTHER = _("Blood clots and other effects")
# What people noticed, by the finding each sentence says (two cohorts share the key of the first).
EFFECTS = {
    "common-adverse-effects": _("In the studies, people felt sleepy or had trouble passing stool (constipation)."),
    "other-warnings": _("The drug label also warns of sleepiness and dizziness, among other effects."),
}
# The label's boxed warning with where its data come from (myeloma, not CLE).
CLOTS = _(
    "The drug label warns of blood clots in the veins in a boxed warning, and also of clots in the arteries, heart "
    "attack and stroke. These facts come from people with a blood cancer (multiple myeloma) who took thalidomide with "
    "dexamethasone, not from people with skin lupus."
)
POOLED_CLOTS = _("A review of many studies of skin lupus found blood clots in %(people)s out of 100 people.")
# The review's 95% confidence interval, in plain words.
POOLED_RANGE = _("This could be as low as %(low)s or as high as %(high)s out of 100.")
CLOT_HAD = _("You have had a blood clot, or you have antiphospholipid antibodies.")
BRAIN_EVENTS = _(
    "In the main study, %(count)s of the %(total)s people had a problem from blocked blood flow in the brain. Both "
    "were heavy smokers."
)
SMOKES = _("You smoke.")
CLOT_HISTORY = _(
    "The main study does not describe people who have had a blood clot or have antiphospholipid antibodies."
)

# --- Questions, sources ------------------------------------------------------------------------------
QUESTIONS = _("Questions to ask your doctor")
ASK = (
    _("How likely is thalidomide to help my skin, and how soon?"),
    _("What other choices do I have?"),
    _("How will my nerves be checked, and how often?"),
    _("What should I do if I feel tingling or numbness?"),
    _("What happens when I stop taking it?"),
)
ASK_IF = {
    "can_become_pregnant": _("Which two kinds of birth control are right for me, and where do I get the tests?"),
    "neuropathy": _("I already have nerve damage. What could thalidomide do to it?"),
    "smoker": _("Does my smoking raise my risk of blood clots?"),
    "thrombosis_risk": _("I have had a blood clot. Is thalidomide safe for me?"),
}
SOURCES = _("Where the numbers come from")

# A source in plain words, by why cledss cites it.
ROLES = {
    Role.PRIMARY: _("the main study"),
    Role.POOLED: _("a review of many studies"),
    Role.COHORT: _("another study of skin lupus"),
    Role.SUPPORTING: _("a related study"),
    Role.REGULATORY: _("the drug label and its safety programme"),
    Role.GUIDELINE: _("a European expert guideline"),
}
# How sure the basis is, in plain words (GRADE's levels, expert consensus, the label).
SURE = {
    Certainty.HIGH: _("We can be quite sure of this."),
    Certainty.MODERATE: _("This is likely to be close to the truth."),
    Certainty.LOW: _("The studies were small, so this may not be exact."),
    Certainty.VERY_LOW: _("The studies were very small, so this may be far from exact."),
    Certainty.CONSENSUS: _("This is what a group of experts agreed."),
    Certainty.REGULATORY: _("This is a rule or warning of the drug label."),
}
