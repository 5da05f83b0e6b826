"""``storybrief serve``: a local, read-only web UI on the story store.

- ``reader`` — ``Reader``, the read interface the app needs, and ``StoreReader``, its
  implementation over a store opened read-only;
- ``app``    — ``create_app(reader)``: the Starlette routes, the guard middleware (methods,
  hosts, bounds, security headers, plain error pages);
- ``pages``  — the computed HTML pieces (escaped), reusing ``render.html`` for the brief;
- ``templates/``, ``static/`` — Jinja2 templates (autoescaping) and the app's CSS and script.

Web dependencies (starlette, jinja2, uvicorn) are imported only by this package.
"""

from __future__ import annotations

from storybrief.serve.app import create_app
from storybrief.serve.reader import QueryRejected, Reader, StoreReader

__all__ = ["QueryRejected", "Reader", "StoreReader", "create_app"]
