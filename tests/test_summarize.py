"""Tests for the extractive summarizer on the bundled examples and small inline news texts."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from eval_data import eval_rows

from storybrief.summarize import scoring
from storybrief.summarize.extractive import (
    SummaryInput,
    SummarySentence,
    group_sentences,
    sentence_candidates,
    summarize,
)

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.txt"))
#: Sentence that example 001 prints in the article and again in a reader comment.
PASTED = "Donfried said the US was ready to negotiate the proposals"


def _example_inputs() -> list[SummaryInput]:
    return [SummaryInput(p.stem, p.read_text(encoding="utf-8")) for p in EXAMPLES]


def _n_words(summary: list[SummarySentence]) -> int:
    return sum(len(s.text.split()) for s in summary)


# A small story in three reports; the sanctions and the missile talks are two threads.
REPORT_A = (
    "WASHINGTON (AP) -- Secretary of State Antony Blinken spoke with Russian Foreign Minister "
    "Sergey Lavrov on Tuesday about the crisis over Ukraine and the troops near its border.\n"
    "The United States warned that severe economic sanctions would follow any invasion of "
    "Ukraine by Russian troops.\n"
    "Both sides said talks on arms control and the deployment of short-range missiles in "
    "Europe could continue next month.\n"
    "Officials said the call lasted about forty minutes and was described as frank."
)
REPORT_B = (
    "Russian Foreign Minister Sergey Lavrov told Antony Blinken that Moscow wants written "
    "answers on its security demands for Ukraine and NATO.\n"
    "European leaders prepared a package of economic sanctions against Russian banks in case "
    "troops cross into Ukraine.\n"
    "Diplomats expect new talks on arms control and limits on missiles in Europe to resume "
    "after the winter.\n"
    "Is anyone surprised?"
)
REPORT_C = (
    "The economic sanctions discussed by the United States and European leaders would target "
    "Russian banks and energy exports if troops invade Ukraine.\n"
    "Russia proposed a ban on the deployment of missiles in Europe as part of arms control "
    "talks with Washington.\n"
    "Lavrov and Blinken agreed to speak again about Ukraine after Moscow receives the answers."
)


def _story() -> list[SummaryInput]:
    return [
        SummaryInput("a", REPORT_A, date=datetime.date(2022, 2, 1)),
        SummaryInput("b", REPORT_B, date=datetime.date(2022, 2, 3)),
        SummaryInput("c", REPORT_C, date=datetime.date(2022, 2, 2)),
    ]


@pytest.mark.parametrize("budget", [20, 60, 250])
def test_examples_verbatim_spans_within_budget(budget: int) -> None:
    inputs = _example_inputs()
    texts = {inp.doc_id: inp.text for inp in inputs}
    summary = summarize(inputs, words=budget)
    assert summary
    for sent in summary:
        assert texts[sent.doc_id][sent.start : sent.end] == sent.text
        assert 0.0 < sent.score <= 1.0
    assert _n_words(summary) <= budget


def test_each_example_alone_is_summarized_within_budget() -> None:
    for inp in _example_inputs():
        summary = summarize([inp], words=80)
        assert summary, inp.doc_id
        assert _n_words(summary) <= 80
        assert all(inp.text[s.start : s.end] == s.text for s in summary)


def test_sentence_pasted_twice_is_chosen_once() -> None:
    inp = next(i for i in _example_inputs() if i.text.count(PASTED) == 2)
    summary = summarize([inp], words=2000)  # budget large enough to take every candidate
    assert sum(PASTED in s.text for s in summary) == 1


def test_no_near_duplicates_across_examples() -> None:
    summary = summarize(_example_inputs(), words=400)
    terms = [scoring.content_terms(scoring.tokens(s.text)) for s in summary]
    idf = scoring.idf(terms)
    vectors = [scoring.tfidf_vector(t, idf) for t in terms]
    for i in range(len(vectors)):
        for j in range(i):
            assert scoring.cosine(vectors[i], vectors[j]) < 0.9, (summary[i].text, summary[j].text)


def test_copied_report_does_not_repeat_in_summary() -> None:
    inputs = _story() + [SummaryInput("copy", REPORT_A.replace("WASHINGTON (AP) -- ", ""))]
    summary = summarize(inputs, words=250)
    texts = [s.text for s in summary]
    assert len(texts) == len(set(texts))


def test_focus_moves_selection_towards_topic() -> None:
    def topics(focus: str | None) -> tuple[int, int]:
        summary = summarize(_story(), words=25, focus=focus)
        joined = " ".join(s.text for s in summary).lower()
        return joined.count("missile"), joined.count("sanction")

    missiles, sanctions = topics("Arms control: what was said about missiles in Europe?")
    assert missiles > 0 and sanctions == 0
    missiles, sanctions = topics("Describe the economic sanctions against Russia.")
    assert sanctions > 0 and missiles == 0


def test_output_ordered_by_date_then_position() -> None:
    summary = summarize(_story(), words=250)
    order = {"a": 0, "c": 1, "b": 2}  # a: Feb 1, c: Feb 2, b: Feb 3
    keys = [(order[s.doc_id], s.start) for s in summary]
    assert len({s.doc_id for s in summary}) >= 2
    assert keys == sorted(keys)


def test_undated_documents_keep_input_order() -> None:
    inputs = [SummaryInput(i.doc_id, i.text) for i in _story()]
    summary = summarize(inputs, words=250)
    keys = [("abc".index(s.doc_id), s.start) for s in summary]
    assert keys == sorted(keys)


def test_deterministic() -> None:
    first = summarize(_example_inputs(), words=150, focus="Blinken and Lavrov talks")
    second = summarize(_example_inputs(), words=150, focus="Blinken and Lavrov talks")
    assert first == second


def test_dateline_cut_and_question_skipped() -> None:
    summary = summarize(_story(), words=250)
    texts = [s.text for s in summary]
    assert not any(t.startswith("WASHINGTON") for t in texts)
    assert any(t.startswith("Secretary of State Antony Blinken") for t in texts)
    assert not any(t.endswith("?") for t in texts)


def test_spans_limit_where_sentences_come_from() -> None:
    article_end = REPORT_A.index("Officials said")
    text = REPORT_A + "\nReader comment: the sanctions on Russian banks will never work at all."
    inp = SummaryInput("a", text, spans=[(0, article_end)])
    summary = summarize([inp, *_story()[1:]], words=250)
    assert all(s.end <= article_end for s in summary if s.doc_id == "a")
    assert not any("Reader comment" in s.text for s in summary)


def test_never_exceeds_small_budget_and_handles_empty_input() -> None:
    assert summarize(_story(), words=0) == []
    assert summarize([], words=100) == []
    assert summarize([SummaryInput("x", "Too short.")], words=100) == []
    summary = summarize(_story(), words=15)
    assert _n_words(summary) <= 15


def test_allow_cut_appends_one_sentence_after_the_budgeted_summary() -> None:
    inputs = _example_inputs()
    texts = {inp.doc_id: inp.text for inp in inputs}
    plain = summarize(inputs, words=60)
    cut = summarize(inputs, words=60, allow_cut=True)
    assert cut[:-1] == plain  # same summary, same order, plus one sentence at the end
    assert _n_words(plain) <= 60 < _n_words(cut)
    extra = cut[-1]
    assert texts[extra.doc_id][extra.start : extra.end] == extra.text
    assert extra.text not in {s.text for s in plain}


def _story_with_topic_everywhere() -> list[SummaryInput]:
    """The story with "Ukraine" renamed inside lines and prefixed to every line instead."""
    return [
        SummaryInput(
            i.doc_id,
            "\n".join(
                "Ukraine: " + line for line in i.text.replace("Ukraine", "Kyiv").splitlines()
            ),
        )
        for i in _story()
    ]


def test_focus_word_in_every_sentence_gives_no_boost() -> None:
    # The topic's own name, used by every candidate, cannot tell sentences apart: a focus made
    # only of it must leave the summary exactly as without focus (the old flat boost did not).
    inputs = _story_with_topic_everywhere()
    assert summarize(inputs, words=40, focus="Ukraine") == summarize(inputs, words=40)
    plain = " ".join(s.text for s in summarize(inputs, words=25)).lower()
    focused = " ".join(s.text for s in summarize(inputs, words=25, focus="sanctions")).lower()
    assert "sanction" not in plain and "sanction" in focused


def test_focus_specificity_favours_aspect_words_over_topic_name() -> None:
    from storybrief.summarize.extractive import _candidates, _focus_specificity

    candidates = _candidates(_story_with_topic_everywhere())
    spec = _focus_specificity(candidates, {"sanction", "lavrov", "ukraine", "absent"})
    assert "absent" not in spec  # no sentence uses it: no boost at all
    assert spec["ukraine"] == 0.0  # every sentence uses it
    assert 0.0 < spec["lavrov"] < 1.0 and 0.0 < spec["sanction"] < 1.0


def test_a_quotation_split_by_the_sentence_splitter_is_kept_whole() -> None:
    # Example 003: Zelensky's two-sentence tweet. The splitter ends a sentence inside it;
    # neither half may be a summary sentence, the whole quotation may.
    [inp] = [i for i in _example_inputs() if i.doc_id.startswith("003")]
    from storybrief.summarize.extractive import _candidates, _quote_depth

    texts = [c.text for c in _candidates([inp])]
    assert not any(_quote_depth(t) for t in texts)
    assert not any(t.startswith("Just as there are no minor casualties") for t in texts)
    whole = [t for t in texts if "no minor incursions" in t]
    assert whole == [
        "The message drew a rebuke from Ukrainian President Volodymyr Zelensky, who tweeted: "
        '"There are no minor incursions. Just as there are no minor casualties and little grief '
        'from the loss of loved ones."'
    ]
    for summary in (summarize([inp], words=w) for w in (60, 150, 400)):
        assert not any(_quote_depth(s.text) for s in summary)
        assert all(inp.text[s.start : s.end] == s.text for s in summary)


def test_sentences_that_need_their_context_lose_to_ones_that_stand_alone() -> None:
    # Real openers from the examples: "He also accused the US…" (000), "They demanded that
    # Russia ease…" (004) need the sentence before them; the summary prefers others.
    from storybrief.summarize.extractive import _standalone_factor

    assert _standalone_factor("They stopped him on suspicion of having a criminal record.") < 1
    assert _standalone_factor("The results are as shown above in the two tables.") < 1
    assert _standalone_factor("Theresa May said the talks would go on.") == 1
    assert _standalone_factor("Its own figures, Blinken said, were different.") < 1
    assert _standalone_factor("It's a critical moment, Blinken said on Friday.") < 1
    summary = summarize(_example_inputs(), words=250)
    openers = [s.text.split()[0] for s in summary]
    assert not {"He", "She", "They", "This", "It"} & set(openers), openers


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        # A dateline after a headline line, a place with a lowercase particle, a mixed-case
        # wire dateline: cut from the sentence (the span starts after it), the rest verbatim.
        ("Talks resume in Geneva\n\nGENEVA _ The two ministers met for talks on Friday "
         "in a hotel by the lake, officials said.", "The two ministers"),
        ("COEUR d'ALENE, Idaho _ A civil rights lawyer asked a jury on Monday to award "
         "damages against the group.", "A civil rights lawyer"),
        ("Madrid, June 24 (Xinhua) -- The prime minister said on Thursday that talks with "
         "the group would not resume.", "The prime minister"),
        # Not datelines: an acronym opening prose, a subject before a dash aside.
        ("Geneva talks\n\nNATO -- the alliance of thirty countries -- said on Friday it "
         "would send more ships to the region.", "NATO --"),
        ("The two drugs -- lamivudine and famciclovir -- can be given together to patients "
         "with the disease.", "The two drugs"),
    ],
)
def test_datelines_cut_anywhere_prose_kept(text: str, opening: str) -> None:
    [sentence] = summarize([SummaryInput("a", text)], words=60)
    assert sentence.text.startswith(opening)
    assert text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize(
    "sentence",
    [
        "But the new drugs can have serious side effects, the agency warned.",  # connective
        "However, the vote was postponed until the end of the month.",
        "In addition, the company owns two bakeries and a roastery.",
        "On Monday, he told reporters that the talks would resume.",  # anaphor after an opener
        "Police said he had been arrested twice before the shooting.",  # pronoun before a name
        "Federal agents also want to question him about the bombings in Atlanta.",
        "The former said the talks had failed, and the latter agreed.",
        "This is the region where so many ships have been seized.",
    ],
)
def test_sentences_that_need_the_one_before_are_found(sentence: str) -> None:
    from storybrief.summarize.standalone import lowercase_words, needs_context

    pile = lowercase_words(["federal agents said; police said; the company said on monday"])
    assert needs_context(sentence, pile)


@pytest.mark.parametrize(
    "sentence",
    [
        "So far, twenty people have died in the floods, officials said.",
        "Schultz told analysts that he expected sales to grow next year.",
        "A jury found that Butler and his organization were negligent.",
        "On Monday, Lavrov said the talks would resume in Geneva.",
        "The Food and Drug Administration approved the combination on Wednesday.",
        "In her reply to the petition, Marianne Gingrich accuses her husband of hiding assets.",
        "Two months after ending his TV show, comedian Jerry Seinfeld is back on stage.",
        "A climber who watched his brother fall is lucky to be alive, rescuers said.",
        "This morning, police arrested and charged a woman with two counts of murder.",
        "The former secretary of state pushed the strategy during the convention.",
        "In addition to the fines, the company must pay damages to the families.",
        "Often, it appeared that the senator was unable to answer the question.",
    ],
)
def test_sentences_that_stand_alone_do_not(sentence: str) -> None:
    from storybrief.summarize.standalone import lowercase_words, needs_context

    pile = lowercase_words(["the floods; analysts said; a jury; the talks", "executive Howard Schultz said"])
    assert not needs_context(sentence, pile)


def test_real_summaries_open_on_nothing_that_came_before() -> None:
    # Real clusters (DUC 2007 main, read at test time): before, "But the drugs can have
    # serious side effects." and "Moreover, the two sides also have to decide…" were chosen.
    from storybrief.summarize.standalone import context_opening

    for cluster in eval_rows("summarization/duc2007-main.jsonl.gz"):
        summary = summarize([SummaryInput(d["id"], d["text"]) for d in cluster["docs"]], 250)
        assert _n_words(summary) > 200
        assert not [s.text for s in summary if context_opening(s.text)], cluster["id"]


@pytest.mark.parametrize("focus", [None, "Russia security guarantees NATO"])
def test_shared_candidates_give_the_same_lines_and_summary(focus: str | None) -> None:
    inputs = _example_inputs()
    groups = [{inp.doc_id} for inp in inputs] + [{inp.doc_id for inp in inputs}]
    shared = sentence_candidates(inputs)
    lines = group_sentences(inputs, groups, focus, shared=shared)
    assert lines == group_sentences(inputs, groups, focus)
    include = [(s.doc_id, s.start, s.end) for s in lines if s is not None][:2]
    alone = summarize(inputs, words=120, focus=focus, include=include)
    assert alone
    # Twice from the same shared candidates: each call works on its own copies.
    for _ in range(2):
        assert summarize(inputs, 120, focus, include=include, shared=shared) == alone
    with pytest.raises(ValueError):
        summarize(list(inputs), 120, shared=shared)
