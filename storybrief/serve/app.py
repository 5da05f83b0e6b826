"""The web app: Starlette routes over a ``Reader``, Jinja2 templates (autoescaping), and one
guard middleware that holds the safety rules.

Routes (documented in ``docs/serve.md``; a test checks every route is there):

    /                        stories by latest activity (paged)
    /stories/{id}            the story's brief; ?since=YYYY-MM-DD for the update brief
    /documents/{id}          a document's labelled blocks; ?start=&end= marks a cited span
    /search?q=               reporting search, grouped by story; &comments=1 searches comments
    /api/stories             JSON: the story list (paged)
    /api/stories/{id}        JSON: the brief (``brief --format json`` schema); ?since=
    /api/documents/{id}      JSON: the document with its blocks
    /api/search?q=           JSON: search results
    /static/{name}           the app's own CSS and script (a fixed list, from the package)

The guard (``Guard``) answers before any handler runs: only GET and HEAD (anything else is
405), a Host header naming this server (no DNS rebinding), bounded path and query string.
It adds a strict Content-Security-Policy and the other security headers to EVERY response,
errors included, and turns any exception into a plain 500 page (the traceback goes to the
server log, never to the client). Handlers are thin: parse and bound the parameters, ask the
reader, render.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storybrief import __version__
from storybrief.render.markdown import document_label
from storybrief.serve import pages
from storybrief.serve.reader import QueryRejected, Reader

__all__ = ["CSP", "LOOPBACK_HOSTS", "create_app"]

log = logging.getLogger("storybrief.serve")

#: The policy on every response: nothing but this server's own CSS, script and form target;
#: no inline script or style, no frames, no plugins, no connections.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
)
#: Host names a loopback server answers to (anything else is a DNS-rebinding attempt).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")

#: Bounds on what a request may ask. A search query longer than a long paragraph is not a
#: query; the path and query-string bounds leave room for every link the app makes.
MAX_QUERY_CHARS = 500
MAX_PATH_BYTES = 1_024
MAX_QUERY_STRING_BYTES = 2_048
MAX_ID_CHARS = 200
#: Stories per page on ``/`` (``?limit=`` may ask for up to ``MAX_PAGE_SIZE``).
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
#: Search results per request (``?limit=`` up to ``MAX_SEARCH_RESULTS``).
SEARCH_RESULTS = 30
MAX_SEARCH_RESULTS = 100

#: The static files, all from this package: name -> (package, file, media type). Nothing
#: else is ever served from disk.
STATIC = {
    "style.css": (("storybrief.render", "report.css"), ("storybrief.serve", "static/serve.css")),
    "serve.js": (("storybrief.serve", "static/serve.js"),),
}
MEDIA_TYPES = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"}

ALLOWED_METHODS = ("GET", "HEAD")


@cache
def _static(name: str) -> bytes:
    return b"\n".join(
        resources.files(package).joinpath(path).read_bytes() for package, path in STATIC[name]
    )


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("storybrief.serve", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        version=__version__,
        max_query=MAX_QUERY_CHARS,
        doc_href=pages.doc_href,
        story_href=pages.story_href,
        cite_href=pages.cite_href,
        sparkline=pages.sparkline,
        marked_snippet=pages.marked_snippet,
        label=document_label,
    )
    return env


class _Errors:
    """Error responses: a plain HTML page, or ``{"error": ...}`` under ``/api/``."""

    def __init__(self, env: Environment) -> None:
        self.template = env.get_template("error.html")

    def response(self, path: str, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
        if path.startswith("/api/"):
            return JSONResponse({"error": message, "status": status}, status, headers=headers)
        body = self.template.render(status=status, message=message, q="")
        return Response(body, status, headers=headers, media_type="text/html")


class Guard:
    """The safety rules, around the whole app (see the module docstring)."""

    def __init__(self, app: ASGIApp, errors: _Errors, allowed_hosts: Iterable[str] | None) -> None:
        self.app = app
        self.errors = errors
        self.hosts = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name.encode() for name, _ in SECURITY_HEADERS}
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS]
                message = {**message, "headers": headers}
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_secured)
            return
        try:
            await self.app(scope, receive, send_secured)
        except Exception:
            log.exception("error serving %s", scope.get("path"))
            if started:
                raise
            await self.errors.response(
                scope.get("path", ""), 500, "Something went wrong on the server; the details are in its log."
            )(scope, receive, send_secured)

    def _refusal(self, scope: Scope) -> Response | None:
        path = str(scope.get("path", ""))
        if scope["method"] not in ALLOWED_METHODS:
            return self.errors.response(
                path, 405, "This server only reads: use GET.", {"Allow": ", ".join(ALLOWED_METHODS)}
            )
        if self.hosts is not None:
            host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in self.hosts:
                return self.errors.response(path, 400, "Unknown host name for this server.")
        raw_path = scope.get("raw_path") or path.encode()
        if len(raw_path) > MAX_PATH_BYTES or len(scope.get("query_string", b"")) > MAX_QUERY_STRING_BYTES:
            return self.errors.response(path, 414, "The address is too long.")
        return None


def _int(request: Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = lo - 1
    if not lo <= value <= hi:
        raise HTTPException(400, f"{name} must be a whole number from {lo} to {hi}.")
    return value


def _optional_int(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    return _int(request, name, 0, 0, 10**9)


def _since(request: Request) -> str | None:
    raw = request.query_params.get("since")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise HTTPException(400, "since must be a date written YYYY-MM-DD.") from None


def _id(request: Request, name: str = "id") -> str:
    value = str(request.path_params[name])
    if len(value) > MAX_ID_CHARS:
        raise HTTPException(404, "No such page.")
    return value


class _UI:
    """The handlers: parameters → reader → template (or JSON)."""

    def __init__(self, reader: Reader, env: Environment) -> None:
        self.reader = reader
        self.env = env

    def page(self, template: str, status: int = 200, **context: Any) -> Response:
        context.setdefault("q", "")
        body = self.env.get_template(template).render(**context)
        return Response(body, status, media_type="text/html")

    # -- the story list --------------------------------------------------------------
    def _story_list(self, request: Request) -> dict[str, Any]:
        limit = _int(request, "limit", PAGE_SIZE, 1, MAX_PAGE_SIZE)
        page = _int(request, "page", 1, 1, MAX_PAGE)
        total = self.reader.count_stories()
        stories = self.reader.stories(limit=limit, offset=(page - 1) * limit) if total else []
        return {"total": total, "page": page, "limit": limit, "stories": stories}

    def index(self, request: Request) -> Response:
        listing = self._story_list(request)
        pages_count = max(1, -(-listing["total"] // listing["limit"]))
        return self.page("index.html", pages=pages_count, **listing)

    def api_stories(self, request: Request) -> Response:
        return JSONResponse(self._story_list(request))

    # -- one story ---------------------------------------------------------------------
    def _story(self, request: Request) -> tuple[dict[str, Any], dict[str, Any], str | None]:
        story_id, since = _id(request), _since(request)
        story = self.reader.story(story_id)
        if story is None:
            raise HTTPException(404, "No such story.")
        brief = self.reader.brief(str(story["id"]), since)
        if brief is None:
            raise HTTPException(404, "No such story.")
        return story, brief, since

    def story(self, request: Request) -> Response:
        story, brief, since = self._story(request)
        if str(story["id"]) != _id(request):  # an old id of a merged story
            target = pages.story_href(str(story["id"]))
            return RedirectResponse(target + (f"?since={since}" if since else ""), 301)
        return self.page(
            "story.html", story=story, brief=brief, since=since,
            sections=pages.sections(brief), sources=pages.source_rows(brief),
            toc=pages.toc(brief),
        )

    def api_story(self, request: Request) -> Response:
        return JSONResponse(self._story(request)[1])

    # -- one document ------------------------------------------------------------------
    def _document(self, request: Request) -> dict[str, Any]:
        doc = self.reader.document(_id(request))
        if doc is None:
            raise HTTPException(404, "No such document.")
        return doc

    def document(self, request: Request) -> Response:
        doc = self._document(request)
        start, end = _optional_int(request, "start"), _optional_int(request, "end")
        span = pages.valid_span(str(doc.get("text") or ""), start, end)
        asked = start is not None or end is not None
        story = self.reader.story(str(doc["story"])) if doc.get("story") else None
        return self.page(
            "document.html", doc=doc, span=span, bad_span=asked and span is None,
            story=story, body=pages.document_blocks(doc, span), counts=pages.block_counts(doc),
        )

    def api_document(self, request: Request) -> Response:
        return JSONResponse(self._document(request))

    # -- search ------------------------------------------------------------------------
    def _search(self, request: Request) -> dict[str, Any]:
        q = " ".join(request.query_params.get("q", "").split())
        comments = request.query_params.get("comments", "") in ("1", "on", "true", "yes")
        limit = _int(request, "limit", SEARCH_RESULTS, 1, MAX_SEARCH_RESULTS)
        if len(q) > MAX_QUERY_CHARS:
            raise HTTPException(400, f"The query is too long: at most {MAX_QUERY_CHARS} characters.")
        results: list[dict[str, Any]] = []
        if q:
            try:
                results = self.reader.search(q, comments=comments, limit=limit)
            except QueryRejected as exc:
                raise HTTPException(400, str(exc)) from None
        return {"query": q, "comments": comments, "limit": limit, "results": results}

    def search(self, request: Request) -> Response:
        found = self._search(request)
        groups = self._grouped(found["results"])
        return self.page("search.html", groups=groups, **{**found, "q": found["query"]})

    def _grouped(self, results: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Results by story, stories in the order of their best result (the stories looked
        up at once, not one query per group)."""
        keys = list(dict.fromkeys(str(hit.get("story") or "") for hit in results))
        found = self.reader.stories_by_id([key for key in keys if key])
        groups: dict[str, dict[str, Any]] = {
            key: {"story": found.get(key), "results": []} for key in keys
        }
        for hit in results:
            groups[str(hit.get("story") or "")]["results"].append(hit)
        return list(groups.values())

    def api_search(self, request: Request) -> Response:
        return JSONResponse(self._search(request))

    # -- static files ------------------------------------------------------------------
    def static(self, request: Request) -> Response:
        name = str(request.path_params["name"])
        if name not in STATIC:
            raise HTTPException(404, "No such file.")
        media = MEDIA_TYPES[name.rsplit(".", 1)[1]]
        return Response(_static(name), media_type=media, headers={"Cache-Control": "max-age=3600"})


def _handler(errors: _Errors) -> Callable[[Request, Exception], Response]:
    def handle(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return errors.response(request.url.path, exc.status_code, str(exc.detail), exc.headers)

    return handle


def create_app(reader: Reader, allowed_hosts: Iterable[str] | None = LOOPBACK_HOSTS) -> Starlette:
    """The web UI over ``reader``. ``allowed_hosts``: the Host names it answers to (``None``:
    any, for a server deliberately exposed beyond loopback)."""
    env = _environment()
    ui = _UI(reader, env)
    errors = _Errors(env)
    routes = [
        Route("/", ui.index),
        Route("/stories/{id}", ui.story),
        Route("/documents/{id}", ui.document),
        Route("/search", ui.search),
        Route("/api/stories", ui.api_stories),
        Route("/api/stories/{id}", ui.api_story),
        Route("/api/documents/{id}", ui.api_document),
        Route("/api/search", ui.api_search),
        Route("/static/{name}", ui.static),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _handler(errors)})
    app.add_middleware(Guard, errors=errors, allowed_hosts=allowed_hosts)
    return app

