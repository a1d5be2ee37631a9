"""The handout's plain language, as tables: what each finding says to a patient, at about a 6th-8th grade
reading level (tests/test_handout.py measures it in English and Spanish).

Each sentence reports what a study found or what the programme requires; only the questions speak as the
patient. A sentence with a figure takes it from its finding through the same functions as the clinician's
page (``figure`` is the finding's own phrase, ``people`` an icon array's count of 100), never a number of its own.
Narrative facts are keyed by their finding, so a sentence appears only while its finding is published.
"""

from ..evidence import Certainty, Role
from ..phrases import _

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
BENEFIT = _("Out of 100 people like you in the main study")
RESPONSE = _("%(people)s out of 100 got better.")
COMPLETE_RESPONSE = _("%(people)s out of 100 had their skin clear up fully.")
RELAPSE = _("%(people)s out of 100 had the lupus come back after they stopped thalidomide or took less of it.")
RELAPSE_TITLE = _("Relapse")
EARLY_RESPONSE = _("For many people, the change showed in %(figure)s.")
RELAPSE_TIME = _("When it came back, it was most often %(figure)s after stopping or taking less.")
SUBTYPE = {
    "long_term_remission": _("People with your type of skin lupus, %(subtype)s, were more likely to stay clear for "
                             "a long time after stopping."),
    "relapse": _("People with your type of skin lupus, %(subtype)s, were more likely to have it come back."),
}

# --- Nerves -----------------------------------------------------------------------------------------
NERVES = _("Nerve damage")
NERVE_WARNING = _("Thalidomide can harm the nerves in the hands and feet. The drug label warns about this.")
# Sentences about this patient, placed before and after the warning they make matter more.
ALREADY = _("You already have nerve damage.")
MATTERS_MORE = _("This part of the sheet matters even more for you.")
PARAESTHESIA = _("%(people)s out of 100 people in the main study felt tingling or numbness in the hands or feet.")
# How studies tested the nerves, and the signs that began after stopping, by the finding each sentence says.
NERVE_TESTS = {
    "emg-schedule": _("In one study, nerve tests were done before treatment and then every 3 to 6 months, or "
                      "sooner if signs showed up."),
    "snap-criterion": _("In another study, nerve tests were done before treatment and often during it."),
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

# --- Other effects ----------------------------------------------------------------------------------
OTHER = _("Other effects and blood clots")
# What people noticed, by the finding each sentence says (two cohorts share the key of the first).
EFFECTS = {
    "common-adverse-effects": _("In the studies, people felt sleepy or had trouble passing stool (constipation)."),
    "other-warnings": _("The drug label also warns of sleepiness and dizziness, among other effects."),
}
CLOTS = _("Thalidomide can cause blood clots in veins and arteries. The drug label warns about this.")
BRAIN_EVENTS = _(
    "In the main study, %(count)s of the %(total)s people had a problem from blocked blood flow in the brain. Both "
    "were heavy smokers."
)
SMOKES = _("You smoke.")
CLOT_HISTORY = _(
    "You have had a blood clot, or you have antiphospholipid antibodies. The main study does not describe people "
    "like you."
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
