"""How each kind of statement is worded at each certainty of its evidence.

GRADE guideline 26 (Santesso et al., J Clin Epidemiol 2020): a plain statement for high
certainty, "probably" for moderate, "may" for low, and "may ..., but the evidence is very
uncertain" for very low. A guideline's recommendation is expert consensus and a label's content
is regulatory; neither is a GRADE level, and each has wording of its own.

Each claim is a table of whole sentences rather than a verb slotted into one sentence, so that
Spanish can word every level naturally. Every sentence reports what a source found, did or
requires; none tells the clinician what to do.

Parameters every sentence may use (unused ones are ignored): ``study`` (the source's short
name), ``figure`` (the finding's numbers as reported), ``wilson`` (cledss's own interval for a
proportion), ``statement`` (the curators' sentence), ``subtype``, ``when``, ``lead`` (a sentence
about this patient placed first, or nothing). The claims that place this patient on the neuropathy
evidence also use ``dose``, ``band``, ``ratios``, ``months``, ``computed`` (a sentence of numbers
cledss worked out, saying so), ``found``, ``other_side`` and ``criterion``.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from ..body_of_evidence import Certainty
from ..phrases import Phrase, _

H, M, L, VL = Certainty.HIGH, Certainty.MODERATE, Certainty.LOW, Certainty.VERY_LOW
CONSENSUS, REGULATORY = Certainty.CONSENSUS, Certainty.REGULATORY


@dataclass(frozen=True)
class Claim:
    name: str
    wording: Mapping[Certainty, Phrase]

    def say(self, certainty: Certainty, **params) -> Phrase:
        # A level the claim has no sentence for (validation keeps research claims on GRADE levels)
        # falls back to the most cautious wording rather than overstating.
        message = self.wording.get(certainty) or self.wording[VL]
        return message.bind(**params)


# --- Response -------------------------------------------------------------------------------------
RESPONSE = Claim("response", {
    H: _("Thalidomide results in a clinical response in %(figure)s of patients like those in %(study)s%(wilson)s."),
    M: _("Thalidomide probably results in a clinical response in %(figure)s of patients like those in "
         "%(study)s%(wilson)s."),
    L: _("Thalidomide may result in a clinical response in %(figure)s of patients like those in %(study)s%(wilson)s."),
    VL: _("Thalidomide may result in a clinical response in %(figure)s of patients like those in %(study)s%(wilson)s, "
          "but the evidence is very uncertain."),
})
COMPLETE_RESPONSE = Claim("complete response", {
    H: _("Thalidomide results in a complete response in %(figure)s of patients like those in %(study)s%(wilson)s."),
    M: _("Thalidomide probably results in a complete response in %(figure)s of patients like those in "
         "%(study)s%(wilson)s."),
    L: _("Thalidomide may result in a complete response in %(figure)s of patients like those in %(study)s%(wilson)s."),
    VL: _("Thalidomide may result in a complete response in %(figure)s of patients like those in %(study)s%(wilson)s, "
          "but the evidence is very uncertain."),
})
EARLY_RESPONSE = Claim("time to response", {
    H: _("The response is noticeable already %(figure)s after starting thalidomide (%(study)s)."),
    M: _("The response is probably noticeable already %(figure)s after starting thalidomide (%(study)s)."),
    L: _("The response may be noticeable already %(figure)s after starting thalidomide (%(study)s)."),
    VL: _("The response may be noticeable already %(figure)s after starting thalidomide (%(study)s), but the "
          "evidence is very uncertain."),
})
STOPPED_EARLY = Claim("stopped before response", {
    H: _("Adverse effects lead %(figure)s of patients to stop thalidomide before the response can be judged "
         "(%(study)s)."),
    M: _("Adverse effects probably lead %(figure)s of patients to stop thalidomide before the response can be judged "
         "(%(study)s)."),
    L: _("Adverse effects may lead %(figure)s of patients to stop thalidomide before the response can be judged "
         "(%(study)s)."),
    VL: _("Adverse effects may lead %(figure)s of patients to stop thalidomide before the response can be judged "
          "(%(study)s), but the evidence is very uncertain."),
})
POOLED_RESPONSE = Claim("pooled response", {
    H: _("Pooled across studies, thalidomide results in a response in %(figure)s of patients with CLE (%(study)s)."),
    M: _("Pooled across studies, thalidomide probably results in a response in %(figure)s of patients with CLE "
         "(%(study)s)."),
    L: _("Pooled across studies, thalidomide may result in a response in %(figure)s of patients with CLE "
         "(%(study)s)."),
    VL: _("Pooled across studies, thalidomide may result in a response in %(figure)s of patients with CLE "
          "(%(study)s), but the evidence is very uncertain."),
})
POOLED_STOPPED = Claim("pooled stopping for adverse events", {
    H: _("Pooled across studies, %(figure)s of patients stop thalidomide for adverse events (%(study)s)."),
    M: _("Pooled across studies, %(figure)s of patients probably stop thalidomide for adverse events (%(study)s)."),
    L: _("Pooled across studies, %(figure)s of patients may stop thalidomide for adverse events (%(study)s)."),
    VL: _("Pooled across studies, %(figure)s of patients may stop thalidomide for adverse events (%(study)s), but "
          "the evidence is very uncertain."),
})

# --- Relapse and remission ----------------------------------------------------------------------------
RELAPSE = Claim("relapse", {
    H: _("Relapse follows in %(figure)s of patients like those in %(study)s%(when)s."),
    M: _("Relapse probably follows in %(figure)s of patients like those in %(study)s%(when)s."),
    L: _("Relapse may follow in %(figure)s of patients like those in %(study)s%(when)s."),
    VL: _("Relapse may follow in %(figure)s of patients like those in %(study)s%(when)s, but the evidence is very "
          "uncertain."),
})
SUBTYPE_REMISSION = Claim("subtype and long-term remission", {
    H: _("%(subtype)s is associated with long-term remission after thalidomide is stopped: %(figure)s (%(study)s)."),
    M: _("%(subtype)s is probably associated with long-term remission after thalidomide is stopped: %(figure)s "
         "(%(study)s)."),
    L: _("%(subtype)s may be associated with long-term remission after thalidomide is stopped: %(figure)s "
         "(%(study)s)."),
    VL: _("%(subtype)s may be associated with long-term remission after thalidomide is stopped: %(figure)s "
          "(%(study)s), but the evidence is very uncertain."),
})
SUBTYPE_RELAPSE = Claim("subtype and relapse", {
    H: _("%(subtype)s is associated with relapse: %(figure)s (%(study)s)."),
    M: _("%(subtype)s is probably associated with relapse: %(figure)s (%(study)s)."),
    L: _("%(subtype)s may be associated with relapse: %(figure)s (%(study)s)."),
    VL: _("%(subtype)s may be associated with relapse: %(figure)s (%(study)s), but the evidence is very uncertain."),
})
POOLED_RELAPSE_AFTER_WITHDRAWAL = Claim("pooled relapse after withdrawal", {
    H: _("Pooled across the studies that reported it, relapse follows withdrawal of thalidomide in %(figure)s of "
         "patients (%(study)s)."),
    M: _("Pooled across the studies that reported it, relapse probably follows withdrawal of thalidomide in "
         "%(figure)s of patients (%(study)s)."),
    L: _("Pooled across the studies that reported it, relapse may follow withdrawal of thalidomide in %(figure)s of "
         "patients (%(study)s)."),
    VL: _("Pooled across the studies that reported it, relapse may follow withdrawal of thalidomide in %(figure)s of "
          "patients (%(study)s), but the evidence is very uncertain."),
})
POOLED_RELAPSE_ON_MAINTENANCE = Claim("pooled relapse on maintenance", {
    H: _("Pooled across another set of studies, relapse occurs on a maintenance dose in %(figure)s of patients "
         "(%(study)s)."),
    M: _("Pooled across another set of studies, relapse probably occurs on a maintenance dose in %(figure)s of "
         "patients (%(study)s)."),
    L: _("Pooled across another set of studies, relapse may occur on a maintenance dose in %(figure)s of patients "
         "(%(study)s)."),
    VL: _("Pooled across another set of studies, relapse may occur on a maintenance dose in %(figure)s of patients "
          "(%(study)s), but the evidence is very uncertain."),
})

# --- Neuropathy -------------------------------------------------------------------------------------
PARAESTHESIA = Claim("paraesthesia", {
    H: _("Thalidomide leads to paraesthesia in %(figure)s of patients like those in %(study)s."),
    M: _("Thalidomide probably leads to paraesthesia in %(figure)s of patients like those in %(study)s."),
    L: _("Thalidomide may lead to paraesthesia in %(figure)s of patients like those in %(study)s."),
    VL: _("Thalidomide may lead to paraesthesia in %(figure)s of patients like those in %(study)s, but the evidence "
          "is very uncertain."),
})
NEUROPATHY_RATE = Claim("neuropathy in a cohort", {
    H: _("Thalidomide leads to neuropathy in %(figure)s of patients like those in %(study)s. %(statement)s"),
    M: _("Thalidomide probably leads to neuropathy in %(figure)s of patients like those in %(study)s. %(statement)s"),
    L: _("Thalidomide may lead to neuropathy in %(figure)s of patients like those in %(study)s. %(statement)s"),
    VL: _("Thalidomide may lead to neuropathy in %(figure)s of patients like those in %(study)s, but the evidence is "
          "very uncertain. %(statement)s"),
})
# Where every patient's nerves were tested, whatever their symptoms: set beside the primary study, which
# reported nerve conduction only for the patients with paraesthesia.
SCREENED_NEUROPATHY = Claim("neuropathy where every patient's nerves were tested", {
    H: _("Thalidomide leads to neuropathy in %(figure)s of patients like those in %(study)s%(wilson)s, a cohort that "
         "tested every patient's nerves, with or without symptoms. %(statement)s"),
    M: _("Thalidomide probably leads to neuropathy in %(figure)s of patients like those in %(study)s%(wilson)s, a "
         "cohort that tested every patient's nerves, with or without symptoms. %(statement)s"),
    L: _("Thalidomide may lead to neuropathy in %(figure)s of patients like those in %(study)s%(wilson)s, a cohort "
         "that tested every patient's nerves, with or without symptoms. %(statement)s"),
    VL: _("Thalidomide may lead to neuropathy in %(figure)s of patients like those in %(study)s%(wilson)s, a cohort "
          "that tested every patient's nerves, with or without symptoms, but the evidence is very uncertain. "
          "%(statement)s"),
})
# The source reports how long resolution took, a time it observed: the sentence says so in the past tense.
RESOLUTION = Claim("neuropathy resolution", {
    H: _("In %(study)s, neurological symptoms resolved in %(figure)s after thalidomide was withdrawn."),
    M: _("In %(study)s, neurological symptoms resolved in %(figure)s after thalidomide was withdrawn. This is "
         "probably close to the truth (moderate-certainty evidence)."),
    L: _("In %(study)s, neurological symptoms resolved in %(figure)s after thalidomide was withdrawn. The truth may "
         "be different (low-certainty evidence)."),
    VL: _("In %(study)s, neurological symptoms resolved in %(figure)s after thalidomide was withdrawn. The evidence is "
          "very uncertain."),
})
IRREVERSIBLE = Claim("irreversible neuropathy", {
    H: _("Thalidomide neuropathy does not reverse in %(figure)s of those who develop it (%(study)s)."),
    M: _("Thalidomide neuropathy probably does not reverse in %(figure)s of those who develop it (%(study)s)."),
    L: _("Thalidomide neuropathy may not reverse in %(figure)s of those who develop it (%(study)s)."),
    VL: _("Thalidomide neuropathy may not reverse in %(figure)s of those who develop it (%(study)s), but the evidence "
          "is very uncertain."),
})
NEUROPATHY_FREE_TIME = Claim("time free of neuropathy", {
    H: _("The time free of neuropathy during treatment is %(figure)s (%(study)s)."),
    M: _("The time free of neuropathy during treatment is probably %(figure)s (%(study)s)."),
    L: _("The time free of neuropathy during treatment may be %(figure)s (%(study)s)."),
    VL: _("The time free of neuropathy during treatment may be %(figure)s (%(study)s), but the evidence is very "
          "uncertain."),
})

# --- This patient on the neuropathy evidence ---------------------------------------------------------
DOSE_BAND_RISK = Claim("daily-dose band with a relative risk", {
    H: _("At %(dose)s mg/day this patient is in the band %(band)s of %(study)s, where the risk of neuropathy is "
         "higher: %(figure)s."),
    M: _("At %(dose)s mg/day this patient is in the band %(band)s of %(study)s, where the risk of neuropathy is "
         "probably higher: %(figure)s."),
    L: _("At %(dose)s mg/day this patient is in the band %(band)s of %(study)s, where the risk of neuropathy may be "
         "higher: %(figure)s."),
    VL: _("At %(dose)s mg/day this patient is in the band %(band)s of %(study)s, where the risk of neuropathy may be "
          "higher: %(figure)s, but the evidence is very uncertain."),
})
DOSE_OBSERVATION = Claim("observation over a range of daily doses", {
    H: _("Apart from its bands, %(study)s made an observation that covers this patient's %(dose)s mg/day: "
         "%(statement)s"),
    M: _("Apart from its bands, %(study)s made an observation that covers this patient's %(dose)s mg/day: "
         "%(statement)s This is probably close to the truth (moderate-certainty evidence)."),
    L: _("Apart from its bands, %(study)s made an observation that covers this patient's %(dose)s mg/day: "
         "%(statement)s The truth may be different (low-certainty evidence)."),
    VL: _("Apart from its bands, %(study)s made an observation that covers this patient's %(dose)s mg/day: "
          "%(statement)s The evidence is very uncertain."),
})
DOSE_REFERENCE_BAND = Claim("reference daily-dose band", {
    H: _("At %(dose)s mg/day this patient is in the reference band of %(study)s, %(band)s; above it the risk of "
         "neuropathy is higher: relative risk %(ratios)s."),
    M: _("At %(dose)s mg/day this patient is in the reference band of %(study)s, %(band)s; above it the risk of "
         "neuropathy is probably higher: relative risk %(ratios)s."),
    L: _("At %(dose)s mg/day this patient is in the reference band of %(study)s, %(band)s; above it the risk of "
         "neuropathy may be higher: relative risk %(ratios)s."),
    VL: _("At %(dose)s mg/day this patient is in the reference band of %(study)s, %(band)s; above it the risk of "
          "neuropathy may be higher: relative risk %(ratios)s, but the evidence is very uncertain."),
})
LONG_TREATMENT = Claim("treatment as long as a study tied to neuropathy", {
    H: _("This patient has taken thalidomide for %(months)s months. %(statement)s"),
    M: _("This patient has taken thalidomide for %(months)s months. %(statement)s This is probably close to the truth "
         "(moderate-certainty evidence)."),
    L: _("This patient has taken thalidomide for %(months)s months. %(statement)s The truth may be different "
         "(low-certainty evidence)."),
    VL: _("This patient has taken thalidomide for %(months)s months. %(statement)s The evidence is very uncertain."),
})
# ``found`` is what the studies that tied neuropathy to the cumulative dose reported, in their curators' words.
CUMULATIVE_DOSE = Claim("cumulative dose so far", {
    H: _("%(computed)s %(found)s%(other_side)s"),
    M: _("%(computed)s %(found)s%(other_side)s This is probably close to the truth (moderate-certainty evidence)."),
    L: _("%(computed)s %(found)s%(other_side)s The truth may be different (low-certainty evidence)."),
    VL: _("%(computed)s %(found)s%(other_side)s The evidence is very uncertain."),
})
SNAP_FALL = Claim("fall in sural SNAP amplitude", {
    H: _("%(computed)s A fall of %(criterion)s%% or more from baseline signals a sensory axonal neuropathy."),
    M: _("%(computed)s A fall of %(criterion)s%% or more from baseline probably signals a sensory axonal neuropathy."),
    L: _("%(computed)s A fall of %(criterion)s%% or more from baseline may signal a sensory axonal neuropathy."),
    VL: _("%(computed)s A fall of %(criterion)s%% or more from baseline may signal a sensory axonal neuropathy, but "
          "the evidence is very uncertain."),
})

# --- Thrombosis ---------------------------------------------------------------------------------------
ISCHAEMIC_EVENTS = Claim("cerebral ischaemic events", {
    H: _("%(lead)sCerebral ischaemic events occur in %(figure)s of patients like those in %(study)s. %(statement)s"),
    M: _("%(lead)sCerebral ischaemic events probably occur in %(figure)s of patients like those in %(study)s. "
         "%(statement)s"),
    L: _("%(lead)sCerebral ischaemic events may occur in %(figure)s of patients like those in %(study)s. "
         "%(statement)s"),
    VL: _("%(lead)sCerebral ischaemic events may occur in %(figure)s of patients like those in %(study)s, but the "
          "evidence is very uncertain. %(statement)s"),
})
POOLED_THROMBOSIS = Claim("pooled thromboembolic events", {
    H: _("Pooled across studies, thromboembolic events occur in %(figure)s of patients with CLE on thalidomide "
         "(%(study)s)."),
    M: _("Pooled across studies, thromboembolic events probably occur in %(figure)s of patients with CLE on "
         "thalidomide (%(study)s)."),
    L: _("Pooled across studies, thromboembolic events may occur in %(figure)s of patients with CLE on thalidomide "
         "(%(study)s)."),
    VL: _("Pooled across studies, thromboembolic events may occur in %(figure)s of patients with CLE on thalidomide "
          "(%(study)s), but the evidence is very uncertain."),
})

# --- Antimalarials ------------------------------------------------------------------------------------
ANTIMALARIAL_RESPONSE = Claim("pooled antimalarial response", {
    H: _("Pooled across studies, antimalarials result in a response in %(figure)s of patients with %(subtype)s "
         "(%(study)s)."),
    M: _("Pooled across studies, antimalarials probably result in a response in %(figure)s of patients with "
         "%(subtype)s (%(study)s)."),
    L: _("Pooled across studies, antimalarials may result in a response in %(figure)s of patients with %(subtype)s "
         "(%(study)s)."),
    VL: _("Pooled across studies, antimalarials may result in a response in %(figure)s of patients with %(subtype)s "
          "(%(study)s), but the evidence is very uncertain."),
})
SMOKING = Claim("smoking and antimalarial response", {
    H: _("%(lead)sSmokers with CLE respond to antimalarials less often than non-smokers: %(figure)s (%(study)s)."),
    M: _("%(lead)sSmokers with CLE probably respond to antimalarials less often than non-smokers: %(figure)s "
         "(%(study)s)."),
    L: _("%(lead)sSmokers with CLE may respond to antimalarials less often than non-smokers: %(figure)s "
         "(%(study)s)."),
    VL: _("%(lead)sSmokers with CLE may respond to antimalarials less often than non-smokers: %(figure)s "
          "(%(study)s), but the evidence is very uncertain."),
})

# --- What a source reported in its own terms ----------------------------------------------------------
REPORTED = Claim("reported finding", {
    H: _("%(lead)s%(statement)s"),
    M: _("%(lead)s%(statement)s This is probably close to the truth (moderate-certainty evidence)."),
    L: _("%(lead)s%(statement)s The truth may be different (low-certainty evidence)."),
    VL: _("%(lead)s%(statement)s The evidence is very uncertain."),
    CONSENSUS: _("%(lead)s%(statement)s This is expert consensus, not graded evidence."),
    REGULATORY: _("%(lead)s%(statement)s"),
})
MEASURED = Claim("reported figure", {
    H: _("%(lead)s%(statement)s: %(figure)s (%(study)s)."),
    M: _("%(lead)s%(statement)s: %(figure)s (%(study)s). This is probably close to the truth (moderate-certainty "
         "evidence)."),
    L: _("%(lead)s%(statement)s: %(figure)s (%(study)s). The truth may be different (low-certainty evidence)."),
    VL: _("%(lead)s%(statement)s: %(figure)s (%(study)s). The evidence is very uncertain."),
    CONSENSUS: _("%(lead)s%(statement)s: %(figure)s (%(study)s). This is expert consensus, not graded evidence."),
    REGULATORY: _("%(lead)s%(statement)s: %(figure)s (%(study)s)."),
})
# A curator's statement that is a whole sentence (it ends with a full stop) is followed by its figure,
# rather than introducing it as a heading does.
MEASURED_AFTER_SENTENCE = Claim("reported figure after its narrative", {
    H: _("%(lead)s%(statement)s Reported figure: %(figure)s (%(study)s)."),
    M: _("%(lead)s%(statement)s Reported figure: %(figure)s (%(study)s). This is probably close to the truth "
         "(moderate-certainty evidence)."),
    L: _("%(lead)s%(statement)s Reported figure: %(figure)s (%(study)s). The truth may be different (low-certainty "
         "evidence)."),
    VL: _("%(lead)s%(statement)s Reported figure: %(figure)s (%(study)s). The evidence is very uncertain."),
    CONSENSUS: _("%(lead)s%(statement)s Reported figure: %(figure)s (%(study)s). This is expert consensus, not "
                 "graded evidence."),
    REGULATORY: _("%(lead)s%(statement)s Reported figure: %(figure)s (%(study)s)."),
})
# What a study did (how often it tested nerves, say) is a fact about the study, not an estimate
# of an effect, so its wording does not change with the certainty of the study's results.
PRACTICE = Claim("what a study did", {level: _("%(statement)s") for level in Certainty})

CLAIMS = (
    RESPONSE, COMPLETE_RESPONSE, EARLY_RESPONSE, STOPPED_EARLY, POOLED_RESPONSE, POOLED_STOPPED,
    RELAPSE, SUBTYPE_REMISSION, SUBTYPE_RELAPSE, POOLED_RELAPSE_AFTER_WITHDRAWAL, POOLED_RELAPSE_ON_MAINTENANCE,
    PARAESTHESIA, NEUROPATHY_RATE, SCREENED_NEUROPATHY, RESOLUTION, IRREVERSIBLE, NEUROPATHY_FREE_TIME,
    DOSE_BAND_RISK, DOSE_OBSERVATION, DOSE_REFERENCE_BAND, LONG_TREATMENT, CUMULATIVE_DOSE, SNAP_FALL,
    ISCHAEMIC_EVENTS, POOLED_THROMBOSIS, ANTIMALARIAL_RESPONSE, SMOKING, REPORTED, MEASURED,
    MEASURED_AFTER_SENTENCE, PRACTICE,
)
