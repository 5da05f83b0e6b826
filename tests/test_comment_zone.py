"""Comment sections opened by headers and metadata lines: plain text, HTML, furniture, themes."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from storybrief.clean import clean_document
from storybrief.clean.furniture import is_furniture
from storybrief.clean.line_features import is_comment_meta, is_comment_opener, structure_marks
from storybrief.clean.lines import BYLINE_LINES, META_LEAD, SwitchCosts, label_lines, switch_point
from storybrief.clean.quoting import mark_quoted_comments
from storybrief.model import Block, BlockLabel, Document
from storybrief.read.html import comment_zone, html_document
from storybrief.summarize.reactions import summarize_reactions

# A chatty personal blog post (first person, exclamations) whose comments start under a
# "3 Responses to" header, each under a "Posted by: NAME at DATE" line.
CHATTY_POST = """So I finally did it: I ran my first half marathon last weekend!
I know, I know, I have been talking about it forever and you are probably sick of hearing me whine about my knees.
But honestly, I was so nervous the night before that I barely slept, and I kept checking the weather every hour.
The first five miles felt amazing and I thought, wow, maybe I am actually good at this?
Then mile nine happened and my legs just said no, and I walked for a bit, which I am totally fine with now.
My sister was waiting at the finish with a sign that said "You are not slow, you are dramatic" and I laughed so hard I almost cried.
Anyway, I am taking a week off and then I am signing up for the next one, because apparently I never learn.
3 Responses to "My first half marathon"
Posted by: Karen at July 24, 2012 10:12 AM
Congratulations! That sign is the best thing I have seen all week.
Posted by: mike_r at July 24, 2012 11:40 AM
Mile nine is where everybody breaks, do not worry about walking.
Posted by: Jo at July 25, 2012 8:03 AM
Well done, see you at the next one!"""


def test_chatty_post_stays_body_until_the_comment_header() -> None:
    blocks = label_lines(CHATTY_POST)
    labels = [b.label for b in blocks]
    header = next(i for i, b in enumerate(blocks) if b.text.startswith("3 Responses"))
    assert all(label in ("title", "heading", "body") for label in labels[:header])
    after = [b for b in blocks[header + 1 :] if not is_comment_meta(b.text)]
    assert [b.label for b in after] == ["comment"] * 3


# A recipe post (imperative, chatty) whose comments each open with "On DATE, NAME said...".
RECIPE_POST = """Pasta Fazool for Cavemen
A lot of things have changed here now that the kids have moved out, not the least of which is how I cook.
If you have been hanging with me for a while, you may have seen my grandmother's recipe that I shared years ago!
Now, I bet you are wondering where the cavemen part fits in. Well, this version has no pasta at all.
Brown the sausage in a large pot, then add the onion and garlic and cook until soft.
Add the broth, water and beans, stir and bring to a boil, then simmer for twenty minutes.
Serves 6 as a main course.
On October 26, 2012 at 2:08am, Rosa said...
A comforting and tasty dish! Really scrumptious looking.
On October 26, 2012 at 2:39am, Jenn said...
I grew up on pasta fazool! I love seeing that word, I do not hear it very often anymore.
On October 27, 2012 at 9:15am, Sam said...
Making this tonight, thanks!"""


def test_post_stays_body_until_its_first_said_line() -> None:
    blocks = label_lines(RECIPE_POST)
    first = next(i for i, b in enumerate(blocks) if b.text.startswith("On October 26"))
    assert all(b.label in ("title", "heading", "body") for b in blocks[:first])
    after = [b for b in blocks[first:] if not is_comment_meta(b.text)]
    assert [b.label for b in after] == ["comment"] * 3


def test_reply_form_closing_the_page_opens_nothing() -> None:
    lines = [
        "The council voted.",
        "It passed 31 to 14.",
        "Leave a Reply",
        "Your email address will not be published.",
    ]
    assert structure_marks(lines) == [0, 0, 0, 0]
    assert (
        structure_marks([*lines[:2], "Comments", "Great news.", "Too expensive.", "Agreed."])[2]
        == 2
    )


def test_switch_point_follows_structure_over_style() -> None:
    # Style alone (comment probabilities) would switch at line 1; the opener at line 4 and the
    # metadata lines under it move the switch there, and metadata left in the body would cost.
    probs = [0.1, 0.8, 0.8, 0.7, 0.6, 0.9, 0.5, 0.9, 0.5, 0.9]
    assert switch_point(probs, [0] * 10) == 1
    assert switch_point(probs, [0, 0, 0, 0, 2, 0, 1, 0, 1, 0]) == 4
    assert switch_point([0.01] * 5, [0] * 5) == 5  # no comments at all


@pytest.mark.parametrize(
    "line",
    [
        "Comments",
        "12 Responses to “Why I quit my job”",
        "Leave a Reply",
        "Join the discussion",
        "3 thoughts on “Spring”",
    ],
)
def test_comment_section_openers(line: str) -> None:
    assert is_comment_opener(line)


@pytest.mark.parametrize(
    "line",
    [
        "Posted by: Karen at July 24, 2012 10:12 AM",
        "Courtney says:",
        "by garaged (579941)",
        "Alita July 6, 2012 at 10:47 pm",
        "Reply",
        "Report abuse",
        "12 points",
        "4 likes",
        "#7",
        "Progress Trap said,",
        "On October 26, 2012 at 2:08am, Rosa said...",
        "Beth on August 22, 2012 at 6:29 pm said:",
        "November 8th",
        "by Leiland Tanner on Aug 8, 2012 9:37 AM MST",
    ],
)
def test_comment_metadata_lines(line: str) -> None:
    assert is_comment_meta(line)


@pytest.mark.parametrize(
    "line",
    [
        "The committee met on July 6, 2012 at 10 pm and agreed on the budget.",
        "Comments from the minister were not available.",
        "He said the responses to the survey were mixed, with many readers unhappy.",
        "The minister said:",
        "5. A Dreadful Act II (Los Angeles Times, February 13th, 2003)",
    ],
)
def test_reporting_sentences_are_neither_opener_nor_metadata(line: str) -> None:
    assert not is_comment_opener(line) and not is_comment_meta(line)


HTML_PAGE = """<html><head><title>Council approves new bridge</title></head><body>
<article><h1>Council approves new bridge</h1>
<p>The city council voted on Tuesday to approve a new pedestrian bridge across the river,
ending a debate that lasted more than three years and divided the neighbourhoods on both banks.</p>
<p>The bridge will cost about 12 million euros and is expected to open in the spring of 2025,
according to the council's planning department, which will publish the tender next month.</p>
<p>Opponents had argued that the money should go to repairing existing roads instead, but the
vote passed by 31 to 14 after a long session that ran late into the evening.</p>
<div class="comments-area" id="comments"><h3>4 Comments</h3>
<div class="comment"><p class="comment-meta">Posted by: Anna at March 3, 2024 9:12 AM</p>
<p>Finally, I have been waiting for this bridge since my kids were in primary school, great news for us.</p>
<p>Reply</p></div>
<div class="comment"><p class="comment-meta">Posted by: Tom at March 3, 2024 10:40 AM</p>
<p>Twelve million for a footbridge is absurd when the potholes on my street have been there for years.</p>
<p>12</p></div>
<p>You must log in to post a comment.</p>
<p>Want to join the discussion?</p>
</div></article></body></html>"""


def test_html_comments_under_a_header_are_not_reporting() -> None:
    doc = clean_document(html_document(HTML_PAGE, "bridge.html"))
    reporting = doc.reporting_text
    assert "pedestrian bridge" in reporting and "31 to 14" in reporting
    assert "waiting for this bridge" not in reporting
    assert "potholes" not in reporting
    comments = [b.text for b in doc.blocks_labelled("comment")]
    assert any("waiting for this bridge" in c for c in comments)
    assert any("potholes" in c for c in comments)
    for furniture in ("You must log in", "Want to join", "Reply"):
        assert not any(c.startswith(furniture) for c in comments)
    assert "12" not in comments  # a bare vote count is nobody's comment


@pytest.mark.parametrize(
    "line",
    [
        "Want to join the discussion?",
        "You must log in to post a comment.",
        "comments powered by Disqus",
        "Show new comments (0)",
        "12",
        "-3",
        "Reply",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Notify me of follow-up comments by email.",
        "I consent to my data being stored in accordance with the privacy policy.",
    ],
)
def test_comment_section_furniture_is_boilerplate(line: str) -> None:
    assert is_furniture(line, in_comments=True)


def test_reader_words_with_numbers_are_not_furniture() -> None:
    assert not is_furniture("I paid 12 euros for this and I like it.", in_comments=True)


def _german_thread() -> Document:
    comments = [
        "Man muss sich fragen, ob die Brücke wirklich nötig ist, dass hat doch keiner gewollt.",
        "Die Brücke kostet zu viel Geld, man sollte sich lieber um die Straßen kümmern.",
        "Ich finde, dass die Brücke dem Viertel gut tut, das hat man lange genug diskutiert.",
        "Die Schlaglöcher auf meiner Straße sind seit Jahren da, das Geld fehlt für die Straßen.",
        "Die Straßen zuerst, dann kann man über eine Brücke reden, sich so zu entscheiden ist falsch.",
    ]
    text = "\n".join(["Der Stadtrat hat den Bau einer Brücke beschlossen.", *comments])
    blocks, pos = [], 0
    for i, line in enumerate(text.split("\n")):
        blocks.append(Block(pos, pos + len(line), line, "body" if i == 0 else "comment"))
        pos += len(line) + 1
    doc = Document(id="de", text=text, blocks=blocks, language="de")
    mark_quoted_comments(doc)
    return doc


def test_german_themes_are_not_labelled_by_stop_words() -> None:
    reactions = summarize_reactions([_german_thread()])
    assert reactions.themes
    stop = {"sich", "man", "dass", "hat", "das", "die", "der", "und", "ist"}
    for theme in reactions.themes:
        assert not {t.lower() for t in theme.terms} & stop
        assert theme.examples  # a theme is shown with a comment that illustrates it


# A recipe post: its ingredient lists are short, number-led lines that read like chat, and its
# only structure is the first comment's "NAME says:" and date lines at the end.
INGREDIENTS_POST = """Turn Savory Stuffing into Bread Pudding for Brunch
November 12, 2012 by Carlee
Thanksgiving is on its way! To make your holiday more enjoyable, here are three recipes that use up what is left.
The first is a sweet, savory twist on the classic stuffing, made from scratch with pears and cranberries.
Croutons
1 loaf of day old French bread, about 16 oz.
3 Tablespoons of grapeseed oil
1 teaspoon ground garlic
1 teaspoon ground onion
2 teaspoons celery seed
1 teaspoon ground cardamom
Stuffing
1/2 cup butter, 1 stick
2 cups onions, diced
2 Asian pears, diced
2 Tablespoons fresh thyme, minced
1 cup chopped pecans
Directions:
Preheat oven to 400F. Place rack in upper third of oven.
Mix the bread cubes with the seasonings in the bowl until well coated, then toast them until golden.
Melt the butter over medium heat, add the onions and celery and cook until soft, about 8 minutes.
To make your cooking day less stressful:
1. plan your cooking schedule in advance
2. gather all your ingredients and organize them together
Happy Thanksgiving!
Lynn Kellan says:
November 12, 2012 at 4:22 am
I am in charge of Thanksgiving dinner this year, so I will be bookmarking these recipes!
Reply
Carlee says:
November 12, 2012 at 9:15 am
Thanks Lynn, let me know how the bread pudding turns out."""


def test_ingredient_list_stays_reporting_until_the_first_comment() -> None:
    blocks = label_lines(INGREDIENTS_POST)
    first = next(i for i, b in enumerate(blocks) if b.text == "Lynn Kellan says:")
    assert all(b.label != "comment" for b in blocks[:first])
    assert [b.label for b in blocks[first + 2 :] if not is_comment_meta(b.text)] == ["comment"] * 2


# Comments printed as a poster's name on its own line, then the text, no date; the post's
# author answers under his name, so names recur.
NAMED_THREAD = """How the new preview mode works
by Chris Pearson
When I did freelance work for large web companies, we rolled out new designs on test servers first.
Whenever we flipped the switch on a new design, we spent the next few hours cleaning up the details.
With the new preview mode you can build and test a design on your live site while visitors see the old one.
No more costly test servers, no more file transfers, and no more scrambling after the switch.
If you already run version 2.0, you can update from inside your dashboard today.
Gibbo
Brilliant! I only had a few reservations about the last version and you have managed to smash them all here.
Robert
Not seeing the update appear in my installed site. Neither in the main dashboard nor the theme dashboard.
Chris Pearson
It will show up within the next 24 hours. Your site only checks for updates once a day.
Robert
Thanks, it is there now and the update went through without a hitch.
Paul Byerly
I could not find install information for a clean install. The old instructions did not work for me.
Chris Pearson
Hi Paul, have you posted about this in our forums yet? Our experts are standing by over there.
Paul Byerly
Yes, I have posted, but nobody has answered so far.
Chris Pearson
Paul, the new version sets itself up automatically, so there is nothing to install by hand."""


def test_recurring_poster_names_open_the_comment_zone() -> None:
    marks = structure_marks(NAMED_THREAD.split("\n"))
    assert marks[1] == 0  # the byline under the title names the author once: not a thread
    assert marks[7] == 0 and marks[9] == 1 and marks[11] == 1  # Gibbo posts once; Robert twice
    labels = [b.label for b in label_lines(NAMED_THREAD)]
    assert labels[2:7] == ["body"] * 5
    # From the first name that recurs on, every line is a comment. (Gibbo, who posts once and
    # writes like the article, is still read as reporting: a known miss.)
    first = NAMED_THREAD.split("\n").index("Robert")
    assert labels[first:] == ["comment"] * (len(labels) - first)


@pytest.mark.parametrize(
    "line",
    [
        "October 19, 2012 Fazal Majid",
        "July 31, 2012 | Unregistered CommenterPW",
        "Thu, 08/09/2012 - 14:32 | 2691789 ReallySparky",
        "3 hours ago",
        "thecrus8r  •  15 minutes ago",
        "QueenSashy added 1 day ago",
        "xdwyer 5 pts",
        "1. tomstoned - 20 August, 2011",
        "4 Nov 12 at 11:22 pm",
        "http://twitter.com/jyarmis Jonathan L. Yarmis",
        "Pingback: A Community Starts with 1,000 Members",
    ],
)
def test_more_comment_metadata_forms(line: str) -> None:
    assert is_comment_meta(line)


@pytest.mark.parametrize(
    "line",
    [
        "http://www.warnerblake.net/2.01/",  # a version number in a link is no time of day
        "July 30, 2012 — The council voted to approve the bridge.",
        "The committee met 3 days ago and voted.",
        "Sagna – Koscielny – Vermaelen – Jenkinson",
    ],
)
def test_reporting_lines_that_are_not_metadata(line: str) -> None:
    assert not is_comment_meta(line)


def test_switch_point_costs_comment_lines_far_above_the_first_structure_line() -> None:
    # Chatty lines 2-7 would start the comments on style alone; the first metadata line is at
    # 8, so each comment line more than META_LEAD above it costs before_mark.
    probs = [0.1, 0.2, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 0.9, 0.9, 0.9]
    marks = [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0]
    assert switch_point(probs, marks, SwitchCosts(before_mark=0.0)) == 2
    assert switch_point(probs, marks, SwitchCosts(before_mark=3.0)) == 5


def test_marks_in_the_byline_lines_do_not_place_the_switch() -> None:
    # "Posted by NAME in News" and a "trackback" link under the title are the post's header.
    probs = [0.1, 0.1, 0.6, 0.6, 0.6, 0.1, 0.1, 0.1]
    assert switch_point(probs, [0, 1, 2, 0, 0, 0, 0, 0]) == 8


#: Real pages with reader comments (Dragnet, from the shared evaluation data: never copied into
#: the repository); ``$STORYBRIEF_EVAL`` or ``../shared/eval`` next to the repository.
DRAGNET = (
    Path(os.environ.get("STORYBRIEF_EVAL", Path(__file__).resolve().parents[2] / "shared" / "eval"))
    / "comments"
    / "dragnet-train.jsonl.gz"
)


@pytest.mark.skipif(not DRAGNET.exists(), reason="evaluation data not available")
def test_structure_lines_find_where_real_comment_sections_start() -> None:
    """On real pages the first opener or metadata line below the post's byline lines sits at,
    or just after, the start of the labelled comments, and hardly any sit in the article."""
    pages = marked = near = in_article = below_byline = 0
    with gzip.open(DRAGNET, "rt", encoding="utf-8") as handle:
        for raw in handle:
            items = [x for x in json.loads(raw)["lines"] if x["text"].strip()]
            lines = [" ".join(x["text"].split()) for x in items]
            start = next((i for i, x in enumerate(items) if x["label"] == "comment"), len(items))
            marks = structure_marks(lines)
            first = next((j for j in range(max(start, BYLINE_LINES), len(lines)) if marks[j]), None)
            pages += 1
            if first is not None:
                marked += 1
                near += first - start <= META_LEAD
            in_article += sum(1 for j in range(BYLINE_LINES, start) if marks[j])
            below_byline += sum(1 for j in range(BYLINE_LINES, len(lines)) if marks[j])
    assert pages > 100
    assert marked / pages >= 0.93  # 0.949 (280/295 pages); 0.868 before issue 12's forms
    assert near / marked >= 0.88  # 0.904
    assert in_article / below_byline <= 0.02  # 0.015


# A blog post's lines as trafilatura gives them: the title storybrief puts on top, the post's
# heading (with its date), its header ("Posted by", a "trackback" link: a word that can open a
# comment section) and a chatty post.
HEADER_LINK_POST: list[tuple[str, BlockLabel]] = [
    ("Gone snowboarding. Goodbye for now.", "title"),
    ("Gone snowboarding. Goodbye for now. 9 December, 2011", "heading"),
    ("Posted by lasagnechef in Arsenal News.", "body"),
    ("trackback", "body"),
    (
        "Well as you guys have noticed this hasn't really been a good season for me in terms of keeping the site updated, sorry!!",
        "body",
    ),
    (
        "So basically I plan to come back in April, maybe with a bit of a season run in writing?",
        "body",
    ),
    ("I don't want to take the site down though, I know you still come on here to chat :)", "body"),
    (
        "It's going to be really strange being away from Arsenal for most of the season, lol.",
        "body",
    ),
    ("Fingers crossed we can stay fit, right now we're missing all our full backs!", "body"),
    (
        "So have a good Christmas everyone, and catch me on twitter from time to time. Cheers!",
        "body",
    ),
]


def test_html_post_header_under_the_title_opens_no_comment_zone() -> None:
    dom = ["Comments", "1. Martin - 9 December, 2011", "Looking forward to the revamp, have fun!"]
    out = comment_zone(HEADER_LINK_POST, dom)
    post = [label for text, label in out if text in dict(HEADER_LINK_POST)][4:]
    assert post == ["body"] * 6
    assert ("Looking forward to the revamp, have fun!", "comment") in out
