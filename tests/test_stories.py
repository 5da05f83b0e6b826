"""Story clustering on the bundled crawls and on small inline news texts."""

from __future__ import annotations

from pathlib import Path

from storybrief.analyze.stories import cluster_stories
from storybrief.clean.lines import label_lines
from storybrief.model import REPORTING_LABELS

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))


def reporting(path: Path) -> str:
    blocks = label_lines(path.read_text(encoding="utf-8"))
    return "\n".join(b.text for b in blocks if b.label in REPORTING_LABELS)


# Two different earthquakes and two different ship seizures: same kind, different stories.
QUAKE_CHILE = (
    "A magnitude 6.1 earthquake struck northern Chile on Sunday near the port of Iquique, "
    "the US Geological Survey said. Chile's emergency office ONEMI said there were no reports "
    "of damage in Iquique or Arica. ONEMI lifted a tsunami warning for the Tarapaca coast."
)
QUAKE_CHILE_2 = (
    "Residents of Iquique ran into the streets when the 6.1 quake hit northern Chile. ONEMI, "
    "Chile's emergency agency, said power was cut in parts of Arica and Iquique but no one was "
    "hurt. The Tarapaca region saw several aftershocks."
)
QUAKE_JAPAN = (
    "A magnitude 7.3 earthquake shook Fukushima in Japan late on Wednesday, the Japan "
    "Meteorological Agency said, cutting power to two million homes in Tokyo. Tokyo Electric "
    "Power said it was checking the Fukushima Daini plant."
)
QUAKE_JAPAN_2 = (
    "Tokyo Electric Power restored power to most of the two million homes after the 7.3 "
    "earthquake off Fukushima. The Japan Meteorological Agency warned of aftershocks in "
    "Fukushima and Miyagi."
)


def test_examples_are_one_story() -> None:
    docs = [(path.name[:3], reporting(path)) for path in EXAMPLES]
    assert cluster_stories(docs) == [[doc_id for doc_id, _ in docs]]


def test_same_kind_stories_stay_apart_and_keep_input_order() -> None:
    docs = [
        ("chile-1", QUAKE_CHILE),
        ("japan-1", QUAKE_JAPAN),
        ("chile-2", QUAKE_CHILE_2),
        ("japan-2", QUAKE_JAPAN_2),
    ]
    assert cluster_stories(docs) == [["chile-1", "chile-2"], ["japan-1", "japan-2"]]


def test_mixed_pile_splits_into_its_stories() -> None:
    docs = [(path.name[:3], reporting(path)) for path in EXAMPLES]
    docs += [
        ("chile-1", QUAKE_CHILE),
        ("japan-1", QUAKE_JAPAN),
        ("chile-2", QUAKE_CHILE_2),
        ("japan-2", QUAKE_JAPAN_2),
    ]
    assert cluster_stories(docs) == [
        ["000", "001", "002", "003", "004"],
        ["chile-1", "chile-2"],
        ["japan-1", "japan-2"],
    ]


def test_deterministic_and_trivial_inputs() -> None:
    docs = [("a", QUAKE_CHILE), ("b", QUAKE_JAPAN), ("c", QUAKE_CHILE_2)]
    assert cluster_stories(docs) == cluster_stories(list(docs))
    assert cluster_stories([]) == []
    assert cluster_stories([("only", QUAKE_JAPAN)]) == [["only"]]
    # Texts with no content words share nothing, so nothing joins them.
    assert cluster_stories([("empty", ""), ("also", "")]) == [["empty"], ["also"]]


def test_numpy_average_link_matches_scipy() -> None:
    """Small runs use a numpy loop; it must give scipy's partition."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage

    from storybrief.analyze.stories import _average_link

    rng = np.random.default_rng(7)
    for n in (2, 5, 12, 30):
        points = rng.random((n, 6))
        points /= np.linalg.norm(points, axis=1, keepdims=True)
        distances = 1.0 - np.clip(points @ points.T, 0.0, 1.0)
        for threshold in (0.02, 0.05, 0.1):
            ours = _average_link(distances, threshold)
            theirs = fcluster(
                linkage(distances[np.triu_indices(n, k=1)], method="average"),
                t=threshold,
                criterion="distance",
            )
            same_ours = {(i, j) for i in range(n) for j in range(n) if ours[i] == ours[j]}
            same_theirs = {(i, j) for i in range(n) for j in range(n) if theirs[i] == theirs[j]}
            assert same_ours == same_theirs, (n, threshold)


def test_components_match_scipy_on_ecbplus_similar_pairs() -> None:
    """The blocks of step 3 (union-find) are scipy's connected components of the same pairs."""
    import numpy as np
    from eval_data import eval_rows
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from storybrief.analyze.stories import (
        STORY_DISTANCE,
        _components,
        _similar_pairs,
        _sparse_unit_rows,
        _tfidf,
        weighted_terms,
    )

    texts = [row["text"] for row in eval_rows("stories/ecbplus-val.jsonl.gz")]
    vectors = _sparse_unit_rows(*_tfidf([weighted_terms(t) for t in texts]))
    for bar in (1.0 - STORY_DISTANCE, 0.5, 0.05):
        first, second = _similar_pairs(vectors, bar)
        n = len(texts)
        graph = coo_matrix((np.ones(len(first)), (first, second)), shape=(n, n))
        _, label = connected_components(graph, directed=False)
        theirs: dict[int, list[int]] = {}
        for node, component in enumerate(label.tolist()):
            theirs.setdefault(component, []).append(node)
        ours = _components(n, first.tolist(), second.tolist())
        assert ours == list(theirs.values())
        assert any(len(members) > 1 for members in ours)
