"""Tests for the learned sentence prior (``summarize.sentence_model``) on real clusters."""

from __future__ import annotations

import math

import pytest
from eval_data import eval_rows

from storybrief.summarize import extractive, scoring, sentence_model
from storybrief.summarize.extractive import SummaryInput, candidate_features, summarize


def _cluster_inputs() -> tuple[list[SummaryInput], str]:
    cluster = eval_rows("summarization/duc2007-main.jsonl.gz")[0]
    inputs = [SummaryInput(d["id"], d["text"], title=d.get("title")) for d in cluster["docs"]]
    return inputs, cluster["title"] + ". " + cluster["narrative"]


def test_committed_model_matches_the_features() -> None:
    model = sentence_model.load()
    assert model is not None
    assert len(model.coef) == len(model.mean) == len(sentence_model.FEATURES)


def test_features_of_a_real_cluster() -> None:
    inputs, focus = _cluster_inputs()
    plain = candidate_features(inputs)
    focused = candidate_features(inputs, focus)
    assert len(plain) > 100
    assert all(len(row) == len(sentence_model.FEATURES) for _, row in plain)
    assert all(math.isfinite(x) for _, row in plain for x in row)
    at = sentence_model.FEATURES.index("focus")
    assert all(row[at] == 0 for _, row in plain)
    assert any(row[at] > 0 for _, row in focused)
    # The same pile after itself as earlier reporting: every sentence repeats it.
    background = [scoring.concepts(scoring.tokens(inp.text)) for inp in inputs]
    again = candidate_features(inputs, background=background)
    at = sentence_model.FEATURES.index("background")
    assert min(row[at] for _, row in again) > 0.9


def test_what_earlier_reporting_said_scores_lower() -> None:
    inputs, _ = _cluster_inputs()
    model = sentence_model.load()
    assert model is not None
    at = sentence_model.FEATURES.index("background")
    _, row = candidate_features(inputs)[0]
    repeated = [*row[:at], 1.0, *row[at + 1 :]]
    assert model.score(repeated) < model.score(row)


def test_prior_changes_a_real_summary_but_not_a_small_pile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inputs, _ = _cluster_inputs()
    small = inputs[: extractive.SENTENCE_PRIOR_MIN_DOCS - 1]
    with_prior = [s.text for s in summarize(inputs, 250)]
    small_with = [s.text for s in summarize(small, 100)]
    monkeypatch.setattr(extractive, "SENTENCE_PRIOR", False)
    assert [s.text for s in summarize(inputs, 250)] != with_prior
    assert [s.text for s in summarize(small, 100)] == small_with
