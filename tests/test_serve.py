"""The web UI with Starlette's test client, on a real store (the examples plus a hostile
document): every route, the safety rules, and that every route is documented."""

from __future__ import annotations

import html
import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from serve_support import HOSTILE, ROOT, build_store, copy_store

from storybrief.cli import main
from storybrief.serve import StoreReader, create_app
from storybrief.serve.app import CSP, MAX_QUERY_CHARS
from storybrief.store import open_reader, open_writer, query
from storybrief.store.briefs import story_brief
from storybrief.store.write import ingest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette suggests httpx2 for its test client
    from starlette.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_store(tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def client(store_path: str) -> Any:
    reader = StoreReader(store_path)
    yield TestClient(create_app(reader), base_url="http://127.0.0.1")
    reader.close()


@pytest.fixture(scope="module")
def stories(store_path: str) -> list[dict[str, Any]]:
    with open_reader(store_path) as store:
        return query.stories(store, limit=100)


@pytest.fixture(scope="module")
def hostile(store_path: str) -> dict[str, Any]:
    record = json.loads(HOSTILE.read_text(encoding="utf-8"))
    with open_reader(store_path) as store:
        hits = query.search(store, "Portwell ferry schedule")
        doc = query.document(store, hits[0]["id"])
    assert doc is not None and doc["title"] == record["title"]
    return doc


@pytest.fixture(scope="module")
def examples_story(stories: list[dict[str, Any]]) -> dict[str, Any]:
    return max(stories, key=lambda s: s["size"])


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside ``<script>`` elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def _tags(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def _assert_inert(page: str) -> None:
    """No markup from a document survived: only our own script, no handlers, no script URLs."""
    parsed = _tags(page)
    scripts = [attrs.get("src") for tag, attrs in parsed.tags if tag == "script"]
    assert scripts == ["/static/serve.js"] and not parsed.script_text
    for tag, attrs in parsed.tags:
        assert tag not in ("img", "iframe", "object", "embed", "base", "svg") or tag == "svg" and "onload" not in attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)


# -- every route --------------------------------------------------------------------------


def test_story_list(client: Any, stories: list[dict[str, Any]]) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for story in stories:
        assert f'href="/stories/{story["id"]}"' in page.text
    assert page.text.count('<svg class="spark"') >= 1  # documents per day
    api = client.get("/api/stories").json()
    assert api["total"] == len(stories) and [s["id"] for s in api["stories"]] == [s["id"] for s in stories]
    one = client.get("/api/stories?limit=1&page=2").json()
    assert [s["id"] for s in one["stories"]] == [stories[1]["id"]]
    assert 'rel="next"' in client.get("/?limit=1").text


def test_story_page_is_the_stored_brief_with_citations_to_document_pages(
    client: Any, store_path: str, examples_story: dict[str, Any]
) -> None:
    story_id = examples_story["id"]
    with open_reader(store_path) as store:
        brief = story_brief(store, story_id)
    assert client.get(f"/api/stories/{story_id}").json() == brief  # the `brief --format json` schema
    page = client.get(f"/stories/{story_id}").text
    for anchor in ("summary", "timeline", "quotes", "entities", "facts", "conflicts", "reactions", "sources"):
        assert f'<section id="{anchor}"' in page
    assert "<svg" in page and "Timeline of events" in page
    texts = {d["id"]: d["text"] for d in brief["documents"]}
    cites = re.findall(r'class="cite" href="/documents/(\w+)\?start=(\d+)&amp;end=(\d+)#c-(\d+)-(\d+)"', page)
    assert len(cites) >= len(brief["summary"])
    for doc_id, start, end, s2, e2 in cites:
        assert (start, end) == (s2, e2) and 0 <= int(start) < int(end) <= len(texts[doc_id])
    first = brief["summary"][0]
    assert first["text"] in page  # summary sentences are shown (escaped text of the brief)
    for doc in brief["documents"]:
        assert f'href="/documents/{doc["id"]}"' in page  # every source listed


def test_update_brief_and_bad_dates(client: Any, examples_story: dict[str, Any]) -> None:
    story_id = examples_story["id"]
    update = client.get(f"/api/stories/{story_id}?since=2022-01-01").json()
    assert update.get("update", {}).get("since") == "2022-01-01"
    page = client.get(f"/stories/{story_id}?since=2022-01-01")
    assert page.status_code == 200 and "Update brief" in page.text
    assert f"({update['update']['new_documents']} new document" in page.text
    bad = client.get(f"/stories/{story_id}?since=yesterday")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text and "Traceback" not in bad.text


def test_document_page_marks_the_cited_span(client: Any, store_path: str, examples_story: dict[str, Any]) -> None:
    with open_reader(store_path) as store:
        brief = story_brief(store, examples_story["id"])
    span = brief["summary"][0]["sources"][0]
    doc_id, start, end = span["document"], span["start"], span["end"]
    doc = client.get(f"/api/documents/{doc_id}").json()
    assert doc["id"] == doc_id and doc["blocks"] and doc["text"][start:end] == brief["summary"][0]["text"]
    page = client.get(f"/documents/{doc_id}?start={start}&end={end}").text
    marked = re.search(rf'<mark class="span" id="c-{start}-{end}" data-span="c-{start}-{end}">(.*?)</mark>', page)
    assert marked is not None
    pieces = re.findall(rf'data-span="c-{start}-{end}">(.*?)</mark>', page, re.S)
    assert html.unescape("".join(pieces)) == doc["text"][start:end]
    labels = {b["label"] for b in doc["blocks"]}
    for label in labels:
        assert re.search(rf'<div class="block \w+ {label}"', page)
    outside = client.get(f"/documents/{doc_id}?start=5&end=999999").text
    assert "does not fit" in outside and "<mark" not in outside


def test_search_groups_by_story_and_searches_comments(client: Any, hostile: dict[str, Any]) -> None:
    found = client.get("/api/search?q=Blinken").json()
    assert found["results"] and all(r["story"] for r in found["results"])
    page = client.get("/search?q=Blinken").text
    assert '<div class="group">' in page and "<mark>Blinken</mark>" in page
    hit = found["results"][0]
    assert f'href="/documents/{hit["id"]}?start={hit["start"]}&amp;end={hit["end"]}#c-{hit["start"]}-{hit["end"]}"' in page
    comments = client.get("/api/search?q=packed weekend&comments=1").json()["results"]
    assert [r["id"] for r in comments] == [hostile["id"]]
    assert client.get("/api/search?q=packed weekend").json()["results"] == []  # not reporting
    assert client.get("/search").status_code == 200


@pytest.mark.parametrize("q", ['"NEAR(', "ferry*", "ferry OR", "'; DROP TABLE documents; --", "<script>"])
def test_search_takes_any_text_as_words(client: Any, q: str) -> None:
    for path in ("/search", "/api/search"):
        response = client.get(path, params={"q": q})
        assert response.status_code in (200, 400) and "Traceback" not in response.text


def test_long_queries_and_page_sizes_are_bounded(client: Any) -> None:
    long = client.get("/search", params={"q": "ferry " * (MAX_QUERY_CHARS // 6 + 1)})
    assert long.status_code == 400 and "too long" in long.text
    assert client.get("/api/search", params={"q": "x" * (MAX_QUERY_CHARS + 1)}).json()["status"] == 400
    assert client.get("/", params={"q": "x" * 5000}).status_code == 414
    assert client.get("/stories/" + "s" * 2000).status_code == 414
    assert client.get("/?limit=100000").status_code == 400
    assert client.get("/api/search?q=ferry&limit=0").status_code == 400
    assert client.get("/?page=abc").status_code == 400


# -- safety -------------------------------------------------------------------------------


def test_csp_and_security_headers_on_every_response(client: Any, examples_story: dict[str, Any], hostile: dict[str, Any]) -> None:
    paths = ["/", f"/stories/{examples_story['id']}", f"/documents/{hostile['id']}", "/search?q=ferry",
             "/api/stories", f"/api/stories/{examples_story['id']}", f"/api/documents/{hostile['id']}",
             "/api/search?q=ferry", "/static/style.css", "/static/serve.js", "/nope", "/api/nope",
             "/stories/nope", "/?page=x"]
    for path in paths:
        response = client.get(path)
        assert response.headers["content-security-policy"] == CSP, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in CSP and "'unsafe-inline'" not in CSP


def test_hostile_document_is_inert_everywhere(client: Any, hostile: dict[str, Any]) -> None:
    story = hostile["story"]
    pages = {
        "document": client.get(f"/documents/{hostile['id']}").text,
        "marked": client.get(f"/documents/{hostile['id']}?start=0&end=40").text,
        "story": client.get(f"/stories/{story}").text,
        "list": client.get("/").text,
        "search": client.get("/search?q=ferry").text,
        "comments": client.get("/search?q=packed&comments=1").text,
    }
    for name, page in pages.items():
        _assert_inert(page)
        assert "<script>window" not in page and "<img src=x" not in page, name
    # Shown as text (Jinja2 writes &#39; and &#34; where html.escape writes &#x27; and &quot;).
    document = pages["document"].replace("&#39;", "&#x27;").replace("&#34;", "&quot;")
    for shown in ("&lt;script&gt;window.pwned=&#x27;title&#x27;&lt;/script&gt;",
                  "&lt;img src=x onerror=&quot;window.pwned=&#x27;site&#x27;&quot;&gt;Portwell News",
                  "&lt;script&gt;window.pwned=&#x27;heading&#x27;&lt;/script&gt;",
                  "&lt;a href=&quot;javascript:window.pwned=&#x27;link&#x27;&quot;&gt;more ferries",
                  '<span class="url-text">javascript:window.pwned=&#x27;url&#x27;</span>'):
        assert shown in document
    assert "window.pwned" in pages["story"]  # the brief quotes the hostile text, escaped
    api = client.get(f"/api/documents/{hostile['id']}")
    assert api.headers["content-type"] == "application/json" and "<script>" in api.json()["title"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_writes_are_refused(client: Any, method: str) -> None:
    for path in ("/", "/api/stories", "/search?q=ferry", "/static/style.css"):
        response = client.request(method, path, content=b"x=1")
        assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"
        assert response.headers["content-security-policy"] == CSP
    assert client.head("/").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/static/../pyproject.toml", "/static/%2e%2e/pyproject.toml", "/static/..%2f..%2fpyproject.toml",
     "/static/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static/report.js", "/static/templates/base.html",
     "/static//etc/passwd", "/static/serve.py", "/../../pyproject.toml"],
)
def test_no_path_traversal(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "[project]" not in response.text and "root:" not in response.text and "{%" not in response.text


def test_unknown_pages_are_plain_404_pages(client: Any) -> None:
    for path in ("/nope", "/stories/nope", "/documents/nope", "/stories/"):
        response = client.get(path)
        assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
        assert "<h1>404</h1>" in response.text and "Traceback" not in response.text
    api = client.get("/api/documents/nope")
    assert api.status_code == 404 and api.json() == {"error": "No such document.", "status": 404}


def test_server_errors_are_plain_pages(store_path: str) -> None:
    class Broken(StoreReader):
        def count_stories(self) -> int:
            raise RuntimeError("secret internals /etc/shadow")

    reader = Broken(store_path)
    client = TestClient(create_app(reader), base_url="http://127.0.0.1", raise_server_exceptions=False)
    for path in ("/", "/api/stories"):
        response = client.get(path)
        assert response.status_code == 500 and response.headers["content-security-policy"] == CSP
        assert "secret" not in response.text and "Traceback" not in response.text
    reader.close()


def test_other_host_names_are_refused(client: Any) -> None:
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400  # DNS rebinding
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_new_documents_appear_on_the_next_request(store_path: str, tmp_path: Path) -> None:
    path = copy_store(store_path, tmp_path)
    reader = StoreReader(path)
    client = TestClient(create_app(reader), base_url="http://127.0.0.1")
    before = client.get("/api/stories").json()["total"]
    with open_writer(path) as store:  # while the app holds its read-only connection
        ingest(store, [str(ROOT / "tests" / "data" / "inputs" / "records.jsonl")])
    after = client.get("/api/stories").json()["total"]
    reader.close()
    assert after > before


# -- the command and the docs -------------------------------------------------------------


def test_serve_command(store_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    served: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: served.append(sockets))
    assert main(["serve", "--db", store_path, "--port", "0"]) == 0
    out, err = capsys.readouterr()
    assert re.search(r"serving .* at http://127\.0\.0\.1:\d+/ \(Ctrl-C stops\)", out) and "warning" not in err
    assert main(["serve", "--db", store_path, "--host", "0.0.0.0", "--port", "0"]) == 0
    assert "no login" in capsys.readouterr().err and len(served) == 2
    assert main(["serve", "--db", str(tmp_path / "missing.db")]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such store" in err


def test_every_route_is_documented(client: Any) -> None:
    docs = (ROOT / "docs" / "serve.md").read_text(encoding="utf-8")
    routes = [route.path for route in client.app.routes]
    assert len(routes) >= 9
    for path in routes:
        assert f"`{path}" in docs, f"{path} is not in docs/serve.md"
    assert "storybrief serve" in (ROOT / "README.md").read_text(encoding="utf-8")
