"""Opening a store: for writing (created or migrated, WAL, locked) or for reading (read-only).

Writers: ``open_writer(path)`` creates the file if needed, checks it is a storybrief store of
a version this storybrief knows, applies pending migrations, and takes the store's *ingest
lock* (an ``flock`` on ``PATH.lock``, released by the kernel if the process dies, even by
SIGKILL), so two ingests never interleave their batches. A second writer waits up to
``wait`` seconds and then gets ``StoreBusy``. Readers: ``open_reader(path)`` opens
``file:PATH?mode=ro`` with ``PRAGMA query_only``; WAL lets them read while a writer commits.

Every failure a store file can cause is a ``StoreError`` subclass with a one-line message.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import IO

from storybrief.store.schema import APPLICATION_ID, SCHEMA_VERSION, migrate

__all__ = [
    "DEFAULT_DB",
    "DamagedStore",
    "NewerStore",
    "NotAStore",
    "Store",
    "StoreBusy",
    "StoreError",
    "default_db_path",
    "open_reader",
    "open_writer",
]

#: The store used when ``--db`` is not given (and ``$STORYBRIEF_DB`` is not set).
DEFAULT_DB = "storybrief.db"
#: How long SQLite waits for a lock held by another connection (a reader during a checkpoint,
#: a writer's commit) before giving up.
BUSY_TIMEOUT_MS = 10_000
#: SQLite's page cache of the writer, in KiB: bounded (it does not grow with the store) and
#: large enough to keep the indexes a batch touches (story terms, LSH bands) in memory.
WRITER_CACHE_KIB = 32 * 1024


class StoreError(Exception):
    """A store that cannot be used; ``str()`` is a one-line message for the user."""


class NotAStore(StoreError):
    pass


class NewerStore(StoreError):
    pass


class DamagedStore(StoreError):
    pass


class StoreBusy(StoreError):
    pass


class MissingStore(StoreError):
    pass


def default_db_path() -> str:
    return os.environ.get("STORYBRIEF_DB") or DEFAULT_DB


@dataclass
class Store:
    """An open store: its connection, its path and (for writers) the ingest lock."""

    conn: sqlite3.Connection
    path: str
    writable: bool
    _lock: IO[str] | None = field(default=None, repr=False)

    def close(self) -> None:
        self.conn.close()
        if self._lock is not None:
            self._lock.close()  # releases the flock
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_writer(path: str, wait: float = 0.0) -> Store:
    """The store at ``path`` for writing: created or upgraded, WAL mode, ingest lock held."""
    lock = _take_lock(path, wait)
    try:
        conn = _connect(path, read_only=False)
        _check(conn, path, creating=True)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        lock.close()
        raise _translate(exc, path) from None
    except BaseException:
        lock.close()
        raise
    return Store(conn, path, True, lock)


def open_reader(path: str) -> Store:
    """The store at ``path`` read-only (``mode=ro``, ``query_only``): never writes the file."""
    if not os.path.exists(path):
        raise MissingStore(f"{path}: no such store (create it with `storybrief ingest`)")
    try:
        conn = _connect(path, read_only=True)
        _check(conn, path, creating=False)
        conn.execute("PRAGMA query_only = 1")
    except sqlite3.DatabaseError as exc:
        raise _translate(exc, path) from None
    return Store(conn, path, False)


def _connect(path: str, read_only: bool) -> sqlite3.Connection:
    if read_only:
        uri = "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check(conn: sqlite3.Connection, path: str, creating: bool) -> None:
    """Raise unless ``conn`` is a storybrief store this version can use (or, when
    ``creating``, an empty database that will become one)."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id != APPLICATION_ID:
        if app_id == 0 and version == 0 and tables == 0 and creating:
            return  # a new (or empty) file: the migrations make it a store
        raise NotAStore(f"{path}: not a storybrief store")
    if version > SCHEMA_VERSION:
        raise NewerStore(
            f"{path}: written by a newer storybrief (store version {version}, this one reads "
            f"up to {SCHEMA_VERSION}); upgrade storybrief"
        )
    if version < SCHEMA_VERSION and not creating:
        raise StoreError(
            f"{path}: store version {version} needs upgrading; run `storybrief ingest` on it once"
        )


def _translate(exc: sqlite3.DatabaseError, path: str) -> StoreError:
    """SQLite's error for a store file, as a one-line ``StoreError``."""
    message = str(exc)
    if "file is not a database" in message:
        return NotAStore(f"{path}: not a storybrief store (not an SQLite database)")
    if "malformed" in message or "corrupt" in message:
        return DamagedStore(f"{path}: the store is damaged ({message})")
    if "locked" in message or "busy" in message:
        return StoreBusy(f"{path}: the store is busy ({message}); try again")
    if "unable to open" in message or "readonly" in message:
        return StoreError(
            f"{path}: cannot open the store ({message}); a WAL store needs its folder writable"
        )
    return DamagedStore(f"{path}: the store cannot be read ({message})")


def translate_error(exc: sqlite3.DatabaseError, path: str) -> StoreError:
    """For callers that meet an SQLite error after opening (a damaged page read late)."""
    return _translate(exc, path)


def _take_lock(path: str, wait: float) -> IO[str]:
    """The ingest lock: ``flock`` on ``PATH.lock``, waiting up to ``wait`` seconds."""
    lock = open(path + ".lock", "a+", encoding="utf-8")  # noqa: SIM115 - held by the Store
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return lock
        except BlockingIOError:
            if time.monotonic() >= deadline:
                lock.close()
                raise StoreBusy(
                    f"{path}: the store is busy: another ingest is writing it; "
                    "try again when it ends (or pass --wait SECONDS)"
                ) from None
            time.sleep(0.1)
