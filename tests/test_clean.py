"""The plain-text cleaner on the bundled example crawls and small inline pages."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from eval_data import eval_rows

from storybrief.clean import clean_document, clean_documents
from storybrief.clean.furniture import is_furniture, looks_like_byline
from storybrief.clean.lines import label_lines
from storybrief.links import is_link_line
from storybrief.model import REPORTING_LABELS, Document, document_id

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
LABELS = Path(__file__).parent / "data" / "example_line_labels.tsv"


def gold_labels() -> dict[str, dict[int, str]]:
    gold: dict[str, dict[int, str]] = {}
    with LABELS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            gold.setdefault(row["file"], {})[int(row["line"])] = row["label"]
    return gold


def labels_by_line(text: str) -> dict[int, str]:
    return {text.count("\n", 0, b.start) + 1: b.label for b in label_lines(text)}


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def test_examples_line_accuracy_meets_floor() -> None:
    correct = total = 0
    for name, gold in gold_labels().items():
        predicted = labels_by_line(example(name))
        for line_no, label in gold.items():
            correct += predicted.get(line_no) == label
            total += 1
    assert total == 177
    assert correct / total >= 0.95


def test_blocks_are_exact_spans_of_the_text() -> None:
    for path in sorted(EXAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        blocks = label_lines(text)
        assert blocks, path
        for block in blocks:
            assert text[block.start : block.end] == block.text
            assert block.text == block.text.strip() and block.text


def test_comment_that_pastes_an_article_sentence_is_still_a_comment() -> None:
    text = example("001_e3bfd45d89a0bb3a.txt")
    labels = labels_by_line(text)
    assert labels[4] == "body"  # "Donfried said the US was ready to negotiate ..."
    assert labels[18] == "comment"  # the same sentence pasted by a reader
    doc = clean_document(Document(id="d", text=text))
    pasted = next(b for b in doc.blocks if b.label == "comment" and b.text.startswith("Donfried"))
    assert pasted.quotes_span is not None
    start, end = pasted.quotes_span
    assert doc.text[start:end].startswith("Donfried said the US was ready")


def test_site_furniture_title_and_byline() -> None:
    labels = labels_by_line(example("002_aa70204ed8885158.txt"))
    assert labels[1] == "title"
    assert labels[2] == labels[3] == labels[4] == labels[5] == "boilerplate"
    assert labels[6] == "body"
    assert labels[14] == "boilerplate"  # "Go deeper: ..."
    assert labels[15] == "comment"
    translated = labels_by_line(example("004_e3dd5379f5f7fb89.txt"))
    assert translated[9] == "boilerplate"  # "Watch TVN24 live on TVN24 GO"
    assert translated[17] == "boilerplate"  # "See also ..."
    assert translated[25] == "heading"
    assert translated[49] == translated[51] == "boilerplate"  # comment form


def test_second_post_glued_after_a_report_gets_its_own_title() -> None:
    labels = labels_by_line(example("003_06a713c4930c40d3.txt"))
    assert labels[26] == "body"
    assert labels[27] == "title"  # "US & Russia meet in Geneva - Barely even LOOKED at Each Other"
    assert labels[28] == "boilerplate"  # "H Turner"
    assert labels[29] == "body"
    assert labels[53] == labels[54] == "boilerplate"  # "No comments:", "Post a Comment"


def test_inline_page_with_comment_thread() -> None:
    page = "\n".join(
        [
            "Storm closes ports along the northern coast",
            "The national weather service said on Monday that winds of up to 120 km/h were expected.",
            "Port authorities in three cities suspended ferry services, a spokesman told reporters.",
            "Officials said the closures would last at least until Wednesday morning.",
            "Leave a Reply",
            "I live there and honestly the ferries close every time it rains a bit lol",
            "You clearly have never been on one of those boats in a storm!",
            "Thanks for the update, stay safe everyone.",
        ]
    )
    labels = [b.label for b in label_lines(page)]
    assert labels == [
        "title",
        "body",
        "body",
        "body",
        "boilerplate",
        "comment",
        "comment",
        "comment",
    ]


def test_furniture_rules() -> None:
    assert is_furniture("Leave a Reply")
    assert is_furniture("Your email address will not be published. Required fields are marked *")
    assert is_furniture("See also  Beijing rejected Putin's request for Xi Jinping to visit Moscow")
    assert is_furniture("Main photo source: PAP / EPA / MARTIAL TREZZINI")
    assert not is_furniture("The war started 8 years ago and has killed thousands of people.")
    assert not is_furniture("See also what the minister said about it yesterday", in_comments=True)
    assert looks_like_byline("Zachary Basu") and looks_like_byline("By Jane Doe")
    assert not looks_like_byline("Blinken arrived in Geneva.")


@pytest.mark.parametrize(
    "line",
    [  # notes to editors and contact lines of news-wire copy (DUC 2007's NYT service)
        "For Use By Clients of the New York Times News Service",
        "For questions, please call 404-526-5456.",
        "The Seattle Post-Intelligencer plans to move the following stories for clients of the "
        "NYTimes News Service for editions of Wednesday, Jan. 13, and thereafter.",
        "(Jane Roe is music critic for the Star-Telegram. You can call her at (817) 390-0000.)",
    ],
)
def test_wire_service_notes_are_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "The company plans to move its headquarters to Dallas next year.",
        "He said clients of the firm were told to call the police.",
        "For more than a decade, the wire service has covered the region.",
    ],
)
def test_reporting_about_wires_and_clients_is_not_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_empty_and_blank_text() -> None:
    assert label_lines("") == []
    assert label_lines("\n \n\t\n") == []


def test_clean_documents_marks_language_title_and_duplicates() -> None:
    text = example("002_aa70204ed8885158.txt")
    russian = (
        "Министр иностранных дел России Сергей Лавров провёл переговоры с госсекретарём США "
        "Энтони Блинкеном в Женеве. Стороны договорились продолжить диалог о гарантиях безопасности."
    )
    docs = [
        Document(id=document_id(text, "a"), text=text, path="a"),
        Document(id="ru", text=russian, path="ru"),
        Document(id=document_id(text, "b"), text=text + "\nAnother reader comment here.", path="b"),
    ]
    clean_documents(docs)
    assert docs[0].title and docs[0].title.startswith("U.S. will give Russians")
    assert docs[0].language == "en"
    assert docs[1].language == "ru"
    assert any(b.label == "body" for b in docs[1].blocks)
    assert docs[2].duplicate_of == docs[0].id
    assert docs[0].duplicate_of is None and docs[1].duplicate_of is None


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.txt")))
def test_examples_are_not_marked_duplicates_of_each_other(name: str) -> None:
    docs = [
        Document(id=p.name, text=p.read_text(encoding="utf-8"))
        for p in sorted(EXAMPLES.glob("*.txt"))
    ]
    clean_documents(docs)
    assert next(d for d in docs if d.id == name).duplicate_of is None


def test_a_line_that_is_a_web_address_is_furniture() -> None:
    # Plain, or tokenised as some corpora write text (ECB+): a space around every mark.
    tokenised = "http: / / www. tmonews. com / 2013 / 04 / t - mobile - confirms - q10 /"
    assert is_furniture(tokenised)
    assert is_furniture("https://www.pcmag.com/article2/0,2817,2395813,00.asp")
    assert is_furniture("www. thehindu. com / news / national / article2618961. ece")
    # Prose that mentions an address is reporting; in a comment a reader's link stays theirs.
    assert not is_furniture("The full report is on www.un.org, the agency said on Friday.")
    assert not is_furniture("https://t.co/x4 the talks ended", in_comments=True)


def test_real_pages_that_open_with_their_address_do_not_report_it() -> None:
    rows = [r for r in eval_rows("stories/ecbplus-val.jsonl.gz") if r["text"].startswith("http")]
    assert rows
    for row in rows[:40]:
        blocks = label_lines(row["text"])
        assert blocks[0].label == "boilerplate", blocks[0].text
        reporting = [b for b in blocks if b.label in REPORTING_LABELS]
        assert reporting and not any(is_link_line(b.text) for b in reporting), row["id"]
