"""Benchmark: does ``extract_entities`` merge the many names of one entity across outlets?

Usage::

    python bench/bench_entities.py DOCS_PATH CHAINS_PATH

Data: NewsWCL50-style JSON Lines (gzipped or not). docs: ``{"id", "text"}``; chains:
``{"id", "mentions": [{"doc", "text"}]}`` where a chain is one entity or concept with all its
surface forms, proper names and descriptions alike ("Mr. Trump", "the president").

What is scored (rules, decided from the data, nothing about particular files):

1. A gold mention is a *proper-name mention* when, after dropping a leading article and a
   possessive, it has at most ``MAX_NAME_WORDS`` words, every word starts with a capital (or is a
   lower-case joiner: "of", "de", a spaced-hyphen name part as in "Moon Jae - in"), and it is not
   all capitals of several words ("NO COLLUSION").
2. A chain is a *named-entity chain* when at least ``MIN_PROPER_SHARE`` of its mentions are
   proper-name mentions and one word occurs in at least ``MIN_HEAD_SHARE`` of those (a chain
   that groups several different people, e.g. "other US officials", has no shared word).
3. Items are distinct (document, mention text) pairs of proper-name mentions of named-entity
   chains; an item claimed by two chains goes to the chain that uses it most (ties dropped).
4. The system *finds* an item when one of its mentions in that document is the item's text or
   a whole-word part of it that contains the item's head word (the last word before " of "),
   e.g. system "Trump" inside gold "President Trump". The item's system entity is the entity
   of the longest such mention.
5. Pairwise precision/recall/F1 over all pairs of found items: a pair is positive when both
   items are in one gold chain (gold) / one system entity (system). Coverage = found / items.

Baselines, scored on the same found items: ``exact`` merges items with identical text;
``last-word`` merges items whose last word is identical (a strong surname heuristic).
Documents are processed story by story: stories are the connected groups of documents that
share a gold chain (the way storybrief runs one story at a time).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from storybrief.analyze.entities import extract_entities

MAX_NAME_WORDS = 6
#: Share of a chain's mentions that must be proper names. 0.5 keeps chains about a named
#: actor ("Trump": "Mr. Trump", "the president") and drops concept chains ("the memos").
MIN_PROPER_SHARE = 0.5
#: Share of a chain's proper-name mentions that must contain its most common word. Above 0.5
#: so that a chain of several people where one is named twice ("Rex Tillerson", "Tillerson",
#: "Kristi Govella", "Michael J. Green") does not count as one named entity.
MIN_HEAD_SHARE = 0.6
_JOINERS = {"of", "de", "da", "van", "von", "der", "al", "bin", "la", "le", "du", "-"}
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\s*(?:'s|’s|'|’)$")

Item = tuple[str, str]  # (doc id, normalised mention text)


def read_jsonl(path: str) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def normalise(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().strip("\"“”'‘’,.")).strip()
    text = _ARTICLE.sub("", text)
    return _POSSESSIVE.sub("", text)


def is_proper_name(text: str) -> bool:
    words = normalise(text).split()
    if not words or len(words) > MAX_NAME_WORDS:
        return False
    if len(words) > 1 and all(w.isupper() and len(w) > 3 for w in words):
        return False
    for i, word in enumerate(words):
        if word in _JOINERS and 0 < i < len(words) - 1:
            continue
        if i > 1 and words[i - 1] == "-" and word.islower() and len(word) <= 4:
            continue
        if not word[:1].isupper():
            return False
    return True


def head_word(text: str) -> str:
    return text.split(" of ")[0].split()[-1]


def select_items(chains: list[dict[str, Any]]) -> dict[Item, str]:
    """Gold items (doc, text) -> chain id, by rules 1-3 of the module docstring."""
    claims: dict[Item, Counter[str]] = defaultdict(Counter)
    for chain in chains:
        proper = [m for m in chain["mentions"] if is_proper_name(m["text"])]
        if not chain["mentions"] or len(proper) < MIN_PROPER_SHARE * len(chain["mentions"]):
            continue
        words = Counter(w for m in proper for w in set(normalise(m["text"]).split())
                        if w[:1].isupper())
        if not words or words.most_common(1)[0][1] < MIN_HEAD_SHARE * len(proper):
            continue
        for m in proper:
            claims[(m["doc"], normalise(m["text"]))][chain["id"]] += 1
    items: dict[Item, str] = {}
    for item, counts in claims.items():
        (best, n), *rest = counts.most_common()
        if not rest or rest[0][1] < n:
            items[item] = best
    return items


def stories(chains: list[dict[str, Any]], doc_ids: list[str]) -> list[list[str]]:
    """Connected groups of documents that share a gold chain."""
    parent = {d: d for d in doc_ids}

    def find(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for chain in chains:
        docs = [m["doc"] for m in chain["mentions"] if m["doc"] in parent]
        for d in docs[1:]:
            parent[find(d)] = find(docs[0])
    groups: dict[str, list[str]] = defaultdict(list)
    for d in doc_ids:
        groups[find(d)].append(d)
    return list(groups.values())


def system_assignments(
    docs: dict[str, str], groups: list[list[str]], items: dict[Item, str]
) -> tuple[dict[Item, str], float, int]:
    """Item -> system entity id for the items the system finds; also seconds and entity count."""
    by_doc: dict[str, list[tuple[str, str]]] = defaultdict(list)  # doc -> (mention text, entity)
    started = time.perf_counter()
    n_entities = 0
    for g, group in enumerate(groups):
        entities = extract_entities([(d, docs[d]) for d in group])
        n_entities += len(entities)
        for e_i, entity in enumerate(entities):
            for m in entity.mentions:
                by_doc[m.doc_id].append((normalise(m.text), f"{g}:{e_i}"))
    del entities
    seconds = time.perf_counter() - started
    found: dict[Item, str] = {}
    for doc, text in items:
        head = head_word(text)
        best: tuple[int, Counter[str]] = (0, Counter())
        for mention, entity_id in by_doc.get(doc, []):
            if head not in mention.split() or not re.search(
                rf"(?<!\w){re.escape(mention)}(?!\w)", text
            ):
                continue
            if len(mention) > best[0]:
                best = (len(mention), Counter())
            if len(mention) == best[0]:
                best[1][entity_id] += 1
        if best[1]:
            found[(doc, text)] = best[1].most_common(1)[0][0]
    return found, seconds, n_entities


def pairwise(gold: dict[Item, str], system: dict[Item, str]) -> tuple[float, float, float]:
    keys = sorted(system)
    tp = sys_pos = gold_pos = 0
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            g = gold[a] == gold[b]
            s = system[a] == system[b]
            tp += g and s
            sys_pos += s
            gold_pos += g
    p = tp / sys_pos if sys_pos else 0.0
    r = tp / gold_pos if gold_pos else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", help="JSON Lines of {id, text}")
    parser.add_argument("chains", help="JSON Lines of {id, mentions: [{doc, text}]}")
    args = parser.parse_args(argv)
    docs = {d["id"]: d["text"].replace("\\n", "\n") for d in read_jsonl(args.docs)}
    chains = list(read_jsonl(args.chains))
    items = select_items(chains)
    groups = stories(chains, list(docs))
    found, seconds, n_entities = system_assignments(docs, groups, items)
    story_of = {d: str(i) for i, group in enumerate(groups) for d in group}

    def story_scoped(key: Callable[[str], str]) -> Callable[[Item], str]:
        return lambda item: f"{story_of.get(item[0], item[0])}|{key(item[1])}"

    exact = story_scoped(lambda t: t)
    last = story_scoped(lambda t: t.split()[-1].casefold())
    found_items = sorted(found)
    selected_chains = len(set(items.values()))
    print(f"documents {len(docs)}  stories {len(groups)}  chains {len(chains)}  "
          f"named-entity chains {selected_chains}  gold name items {len(items)}")
    print(f"system: {n_entities} entities in {seconds:.2f}s "
          f"({1000 * seconds / max(1, len(docs)):.1f} ms/doc); "
          f"found {len(found)}/{len(items)} items (coverage {len(found) / max(1, len(items)):.3f})")
    print(f"{'method':<28}{'P':>7}{'R':>7}{'F1':>7}")
    rows = [
        ("storybrief (found items)", found),
        ("exact text (found items)", {i: exact(i) for i in found_items}),
        ("last word (found items)", {i: last(i) for i in found_items}),
        ("exact text (all items)", {i: exact(i) for i in items}),
        ("last word (all items)", {i: last(i) for i in items}),
    ]
    for label, assignment in rows:
        p, r, f = pairwise(items, assignment)
        print(f"{label:<28}{p:7.3f}{r:7.3f}{f:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
