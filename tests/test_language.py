"""Language detection on the examples and short news paragraphs in other languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybrief.clean.language import _plainly_english, detect_language, mark_language
from storybrief.model import Block, Document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

RUSSIAN = (
    "Министр иностранных дел России Сергей Лавров во вторник провёл телефонный разговор с "
    "госсекретарём США Энтони Блинкеном. Стороны договорились продолжить переговоры."
)
POLISH = (
    "Szef rosyjskiej dyplomacji Siergiej Ławrow rozmawiał we wtorek telefonicznie z "
    "sekretarzem stanu USA. Rozmowa trwała około pół godziny i nie przyniosła postępu."
)
GERMAN = (
    "Der russische Außenminister Sergej Lawrow hat am Dienstag mit US-Außenminister Antony "
    "Blinken telefoniert. Beide Seiten wollen die Gespräche über die Ukraine fortsetzen."
)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_examples_are_english(path: Path) -> None:
    assert detect_language(path.read_text(encoding="utf-8")) == "en"


@pytest.mark.parametrize(
    ("text", "code"), [(RUSSIAN, "ru"), (POLISH, "pl"), (GERMAN, "de")], ids=["ru", "pl", "de"]
)
def test_other_languages(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n",
        "Excellent point.",
        "Ours.",
        "12345 678 90",
        "https://thesaker.is/lavrov-and-putin/",
    ],
)
def test_too_little_text_is_undetermined(text: str) -> None:
    assert detect_language(text) is None


def test_urls_do_not_count_as_text() -> None:
    url = "https://www.wearethemighty.com/articles/why-russia-has-three-nuclear-footballs/"
    assert detect_language(url) is None
    assert detect_language(f"{url} {GERMAN}") == "de"


def test_deterministic() -> None:
    assert {detect_language(POLISH) for _ in range(3)} == {"pl"}


def test_mark_language_uses_the_article_not_the_comments() -> None:
    text = f"{GERMAN}\n{RUSSIAN}\n{RUSSIAN}"
    first_end = len(GERMAN)
    blocks = [Block(0, first_end, GERMAN, "body")]
    pos = first_end + 1
    for _ in range(2):
        blocks.append(Block(pos, pos + len(RUSSIAN), RUSSIAN, "comment"))
        pos += len(RUSSIAN) + 1
    doc = Document(id="d", text=text, blocks=blocks)
    mark_language(doc)
    assert doc.language == "de"
    unlabelled = Document(id="u", text=RUSSIAN)
    mark_language(unlabelled)
    assert unlabelled.language == "ru"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_english_pages_are_decided_without_the_model(path: Path) -> None:
    assert _plainly_english(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [RUSSIAN * 3, POLISH * 3, GERMAN * 3, "the " * 10])
def test_other_or_short_text_goes_to_the_model(text: str) -> None:
    assert not _plainly_english(text)


def test_german_article_quoting_english_is_still_german() -> None:
    quote = ' "We will not accept that," said the Secretary of State. '
    assert detect_language(GERMAN + quote + GERMAN) == "de"
