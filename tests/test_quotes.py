"""Quotes, speakers and cues on the bundled examples and small inline news texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storybrief.analyze.quotes import Quote, extract_quotes, merge_quotes
from storybrief.analyze.quotes_lexicon import CUE_RE, CUE_WORDS, cue_spans

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _example(prefix: str) -> str:
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _find(quotes: list[Quote], fragment: str) -> Quote:
    hits = [q for q in quotes if fragment in q.text]
    assert hits, f"no quote containing {fragment!r} in {[q.text[:40] for q in quotes]}"
    return hits[0]


def _check_spans(text: str, q: Quote) -> None:
    assert q.text == " ".join(text[s:e] for s, e in q.parts)
    assert (q.start, q.end) == (q.parts[0][0], q.parts[-1][1])
    if q.speaker_text is not None:
        assert q.speaker_start is not None and q.speaker_end is not None
        assert text[q.speaker_start : q.speaker_end] == q.speaker_text
    if q.cue is not None:
        assert q.cue_start is not None and q.cue_end is not None
        assert text[q.cue_start : q.cue_end] == q.cue


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_spans_index_the_source_text(prefix: str) -> None:
    text = _example(prefix)
    quotes = extract_quotes(text, doc_id=prefix, include_scare=True)
    assert quotes
    for q in quotes:
        assert q.doc_id == prefix
        _check_spans(text, q)


def test_mr_blinken_critical_moment_example_003() -> None:
    text = _example("003")
    q = _find(extract_quotes(text), "This is a critical moment")
    assert q.text == "This is a critical moment"
    assert q.speaker_text == "Mr Blinken"
    # the full name the article used earlier ("US Secretary of State Antony Blinken")
    assert q.speaker == "Antony Blinken"
    assert q.cue == "said"
    assert q.kind == "direct"


def test_pronoun_resolved_to_previous_speaker_example_003() -> None:
    text = _example("003")
    q = _find(extract_quotes(text), "don't expect to resolve our differences")
    assert q.speaker_text == "he"
    assert q.speaker == "Antony Blinken"
    assert q.cue == "added"


def test_putin_quote_continues_over_sentences_example_000() -> None:
    text = _example("000")
    quotes = extract_quotes(text)
    q = _find(quotes, "Imagine that Ukraine becomes a NATO member")
    assert q.speaker is not None and q.speaker.endswith("Putin")
    assert q.speaker_text == "Putin"
    assert q.cue == "said"
    # “Should we fight NATO then? ...” follows with no attribution of its own: same quote
    assert len(q.parts) == 2
    assert "Has anyone thought about it?" in q.text
    # 'he said' two sentences later is Putin, not Lavrov or Blinken
    later = _find(quotes, "We need to find a way")
    assert later.speaker_text == "he" and later.speaker == q.speaker


def test_lavrov_quote_example_004() -> None:
    text = _example("004")
    q = _find(extract_quotes(text), "Western nations are trying to completely forget")
    assert q.speaker_text == "Lavrov"
    assert q.speaker is not None and q.speaker.endswith("Lavrov")
    assert q.cue == "said"


def test_scare_quote_is_not_a_speech_quote_example_004() -> None:
    text = _example("004")
    assert not [q for q in extract_quotes(text) if q.text == "security guarantees"]
    scare = [q for q in extract_quotes(text, include_scare=True) if q.text == "security guarantees"]
    assert len(scare) == 1
    assert scare[0].kind == "scare" and scare[0].speaker is None and scare[0].cue is None


def test_appositive_speaker_and_told_reporters_example_001() -> None:
    text = _example("001")
    q = _find(extract_quotes(text), "We will decide on a date together with Russia")
    assert q.speaker == "Karen Donfried"
    assert q.cue == "told reporters"


def test_split_quote_is_one_quote() -> None:
    text = '"We will decide," Donfried said, "on a date together."'
    (q,) = extract_quotes(text)
    assert q.speaker == "Donfried" and q.cue == "said"
    assert [text[s:e] for s, e in q.parts] == ["We will decide", "on a date together."]
    assert q.text == "We will decide on a date together."


def test_inverted_attribution_with_curly_quotes() -> None:
    text = "“We knew in advance,” said Kremlin spokesman Dmitry Peskov on Friday."
    (q,) = extract_quotes(text)
    assert q.text == "We knew in advance"
    assert q.cue == "said"
    assert q.speaker == "Dmitry Peskov"
    assert q.speaker_text is not None and q.speaker_text.endswith("Dmitry Peskov")


def test_nested_single_quotes_stay_inside() -> None:
    text = "“He told me, ‘We’ve got to win Loudoun,’ and left,” said Will Estrada."
    (q,) = extract_quotes(text, include_scare=True)
    assert q.text == "He told me, ‘We’ve got to win Loudoun,’ and left"
    assert q.speaker == "Will Estrada"


def test_pronoun_skips_non_person_subject() -> None:
    text = (
        "Russian Foreign Minister Sergei Lavrov met the press in Moscow. "
        "The Kremlin has denied any plan to invade. "
        '"We never threatened anyone," he said.'
    )
    (q,) = extract_quotes(text)
    assert q.speaker_text == "he"
    assert q.speaker == "Sergei Lavrov"


def test_partial_quote_keeps_speaker() -> None:
    text = 'Donfried said some of the proposals were "unacceptable" to Washington.'
    (q,) = extract_quotes(text)
    assert q.kind == "partial"
    assert q.speaker == "Donfried"


def test_colon_paragraph_introduces_next_paragraph_quote() -> None:
    text = 'Asked about the talks, Ms. Karen Smith said:\n\n"Look, the answer is yes."'
    (q,) = extract_quotes(text)
    assert q.speaker == "Karen Smith"
    assert q.cue == "said"


def test_apostrophes_are_not_quotes() -> None:
    text = "Russia's envoy said the talks weren't over and the allies' position held."
    assert extract_quotes(text, include_scare=True) == []


def test_start_end_limit_the_region() -> None:
    text = '"First," she said.\n"Second one here," Lavrov said.'
    quotes = extract_quotes(text, start=text.index("\n") + 1)
    assert [q.text for q in quotes] == ["Second one here"]
    assert quotes[0].start == text.index("Second")


def test_merge_quotes_groups_across_documents() -> None:
    a = extract_quotes('"This is a critical moment for the talks," Mr Blinken said.', doc_id="a")
    b = extract_quotes("“This is a critical moment for the talks”, Blinken said.", doc_id="b")
    c = extract_quotes('"We do not expect a breakthrough either," Lavrov said.', doc_id="c")
    groups = merge_quotes([*a, *b, *c])
    assert [[q.doc_id for q in g] for g in groups] == [["a", "b"], ["c"]]


def test_merge_quotes_joins_trimmed_excerpt() -> None:
    long_q = extract_quotes(
        '"Western nations are trying to completely forget the basic principle of security, '
        'and we will not allow it," Lavrov said.',
        doc_id="x",
    )
    short_q = extract_quotes(
        "“Western nations are trying to completely forget the basic principle of security,” "
        "he said.",
        doc_id="y",
    )
    assert len(merge_quotes([*long_q, *short_q])) == 1


def test_exclaimed_quote_keeps_the_attribution_after_it() -> None:
    # The splitter ends a sentence after "!”" before a capital; the attribution still holds.
    text = (
        "In each case, President Trump tied himself to the outcome.\n"
        "“Governor @MattBevin has done a wonderful job for the people of Kentucky!” Trump "
        "tweeted before Election Day."
    )
    (q,) = extract_quotes(text)
    assert q.cue == "tweeted" and q.speaker_text == "Trump"


def test_title_case_headline_is_not_a_name() -> None:
    text = (
        "Opinion | Republicans Are Following Trump to Nowhere\n"
        "In each case, President Trump tied himself to the outcome.\n"
        "Trump sent a similar message ahead of the Virginia elections. “Virginia, go out and "
        "vote Republican today,” he said.\n"
        "“The people of this country aren’t buying” impeachment, Trump said at a rally."
    )
    speakers = [q.speaker for q in extract_quotes(text)]
    assert speakers == ["President Trump", "Trump"]


def test_poll_figures_and_nationalities_are_not_speakers() -> None:
    text = (
        "A new ABC News poll shows majority support for impeachment. Fifty-one percent say that "
        "“President Trump’s actions were wrong and he should be impeached by the House.” A "
        "Reuters poll found that 44 percent of Americans say “the House should impeach him "
        "now.” Americans say “enough is enough” when asked about the hearings."
    )
    quotes = extract_quotes(text)
    assert len(quotes) == 3
    assert [q.speaker for q in quotes] == [None, None, None]
    assert [q.speaker_text for q in quotes][:2] == ["Fifty-one", "Americans"]


def test_description_pointing_back_is_not_a_speaker_example_004() -> None:
    # "According to the agency’s spokesman, “Secretary of State Lavrov has been told ...”":
    # which agency the brief cannot show, so the quote is listed without a speaker.
    text = _example("004")
    q = _find(extract_quotes(text), "Lavrov has been told")
    assert q.speaker_text == "the agency’s spokesman"
    assert q.speaker is None
    named = _find(extract_quotes(text), "Western nations are trying")
    assert named.speaker is not None and named.speaker.endswith("Lavrov")


def test_opening_participle_is_not_a_first_name() -> None:
    text = (
        "Hosting Cook at the plant in Austin, Trump praised Apple’s investment.\n"
        "“I can feel him and his presence when I come here,” Cook said."
    )
    (q,) = extract_quotes(text)
    assert q.speaker == "Cook"


# --- cue finding: the word-by-word scan gives the cue expression's matches ---------------

_CUE_PIECES = [
    *CUE_WORDS[:40],
    "according to",
    "According  to",
    "points out",
    "pointed out",
    "pointing out",
    "point",
    "SAID",
    "ſaid",  # matches "said" only through the expression's case folding
    "told-",
    "x_said",
    "said9",
    "é",
    "Kelvin K",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_CUE_PIECES) | st.text(max_size=4), max_size=10), st.data())
def test_cue_spans_are_the_cue_expressions_matches(pieces: list[str], data: st.DataObject) -> None:
    gaps = data.draw(st.lists(st.sampled_from(["", " ", "\n", "-", "_", "’", ", "]), min_size=10))
    text = "".join(gap + piece for gap, piece in zip(gaps, pieces, strict=False))
    assert cue_spans(text) == [m.span() for m in CUE_RE.finditer(text)]


def test_cue_spans_on_the_examples() -> None:
    for path in sorted(EXAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert cue_spans(text) == [m.span() for m in CUE_RE.finditer(text)]
