"""``storybrief serve``: the read-only web UI on a story store, served by uvicorn."""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import socket
import sys

from storybrief.cli.common import EXIT_OK
from storybrief.cli.store_common import add_db, db_path, store_errors

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "serve",
        help="browse, read and search the story store in a web browser",
        description="A local, read-only web UI on the story store: stories, their briefs, "
        "the documents with cited spans highlighted, and search. Loopback only unless --host "
        "says otherwise; the UI has no login. Ctrl-C stops it.",
    )
    add_db(command)
    command.add_argument(
        "--host", default=DEFAULT_HOST, help="address to listen on (default %(default)s)"
    )
    command.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="port to listen on; 0 picks a free one (default %(default)s)",
    )
    command.set_defaults(run=run)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before uvicorn starts so the printed URL has the real port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ValueError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _hosts(host: str) -> tuple[str, ...] | None:
    """The Host names the app answers to: loopback names (and the address asked for), or any
    when the server listens on every interface."""
    from storybrief.serve.app import LOOPBACK_HOSTS

    if host in ("0.0.0.0", "::", ""):
        return None
    return (*LOOPBACK_HOSTS, host.lower(), f"[{host.lower()}]")


@store_errors
def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise ValueError("--port must be from 0 to 65535")
    import uvicorn

    from storybrief.serve import StoreReader, create_app

    path = db_path(args)
    reader = StoreReader(path)  # a missing or damaged store is a one-line error here
    try:
        sock = _bind(args.host, args.port)
        app = create_app(reader, allowed_hosts=_hosts(args.host))
        port = sock.getsockname()[1]
        shown = f"[{args.host}]" if ":" in args.host else args.host
        if not is_loopback(args.host):
            print(
                f"storybrief: warning: listening on {args.host}: the UI has no login; anyone "
                "who can reach this address can read the whole store",
                file=sys.stderr,
            )
        print(f"storybrief: serving {path} at http://{shown}:{port}/ (Ctrl-C stops)", flush=True)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        server = uvicorn.Server(config)
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn stopped, then re-raised Ctrl-C
            server.run(sockets=[sock])
        sock.close()
    finally:
        reader.close()
    print("storybrief: stopped", file=sys.stderr)
    return EXIT_OK
