"""Dependencies shared by the routers: settings, the store, the knowledge base, caches and the upload limiter.

Routers declare what they need as ``Annotated[..., Depends()]`` aliases from here, so each route stays a
parse → one library call → render function. Library modules are imported through ``feature()``, which turns
a module that is not installed (yet) into a 503 instead of an import error at start-up.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from careerlens.errors import KnowledgeBaseError, StoreError
from careerlens.settings import Settings
from careerlens.web.errors import FeatureUnavailableError, RateLimitedError


def feature(label: str, module: str, attr: str) -> Any:
    """``module.attr`` of the library, or FeatureUnavailableError (503) while that module is missing."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise FeatureUnavailableError(label, detail=f"{module} is not installed") from exc
    try:
        return getattr(mod, attr)
    except AttributeError as exc:
        raise FeatureUnavailableError(label, detail=f"{module}.{attr} is missing") from exc


def has_feature(module: str, attr: str) -> bool:
    """True when ``module.attr`` can be imported (used to grey out navigation entries)."""
    try:
        feature("", module, attr)
    except FeatureUnavailableError:
        return False
    return True


class LRUCache:
    """A small thread-safe LRU cache for results that depend only on their key (e.g. a role comparison)."""

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
        value = compute()  # outside the lock: two racing misses compute twice, which is harmless
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> Any:
        """The cached value, or None; lets an async route answer a hit without a thread hop."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
        return None

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


@dataclass
class TokenBucket:
    """Per-client token bucket: ``capacity`` requests at once, refilled at ``rate`` tokens per second."""

    capacity: float = 10.0
    rate: float = 10.0 / 60.0
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, client: str, now: float | None = None) -> float:
        """Take one token for ``client``; 0 when allowed, else the seconds until the next token."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                if len(self._buckets) > 10_000:  # forget idle clients so the table cannot grow without bound
                    self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 3600}
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate if self.rate > 0 else 3600.0


class StoreHandle:
    """The app's store: an in-memory copy of the warehouse (or the snapshot), reopened when the file changes.

    A copy, so the server never holds the warehouse file and ``careerlens ingest`` can write it while the
    server runs; while an ingest holds the file, requests keep getting the last copy. A lock serialises
    queries on the copy's DuckDB connection and swaps copies only between queries.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Any = None
        self._opened_as: tuple[str, ...] | None = None
        self.lock = threading.RLock()

    def get(self) -> Any:
        """The current store; call it holding ``self.lock`` (``use()`` does) so no query sees a swap."""
        ident = self._file_identity()
        if self._store is None or ident != self._opened_as:
            open_store = feature("the data store", "careerlens.store.warehouse", "open_store")
            try:
                new = open_store(self.settings, copy=True)
            except StoreError:
                if self._store is None:
                    raise
                return self._store  # the file is busy (an ingest is writing it): serve the last copy
            old, self._store, self._opened_as = self._store, new, ident
            if old is not None:
                old.close()
        return self._store

    @property
    def identity(self) -> tuple[str, ...]:
        """What cached results depend on: the store copy that answers now (its file's modification time).

        Brings the copy up to date first, so a result is never cached under a newer file than it came from.
        """
        ident = self._file_identity()
        if ident == self._opened_as:
            return ident
        with self.lock:
            self.get()
            return self._opened_as or ident

    def _file_identity(self) -> tuple[str, ...]:
        path = self.settings.db_path
        try:
            mtime = str(path.stat().st_mtime_ns)
        except OSError:
            mtime = "snapshot"
        return (str(path), mtime, str(self.settings.min_n))

    @contextmanager
    def use(self) -> Iterator[Any]:
        """The store, held exclusively for one library call."""
        with self.lock:
            yield self.get()

    def close(self) -> None:
        with self.lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()


# ------------------------------------------------------------------------------------------- dependencies
# Async (they never block; the knowledge base is loaded once and cached), so that an async route answering
# from a cache runs entirely on the event loop without a hop to the thread pool.


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store_handle(request: Request) -> StoreHandle:
    handle: StoreHandle = request.app.state.store
    return handle


async def get_kb(request: Request) -> Any:
    """The role knowledge base; 503 while the roles file or its module is missing."""
    load_kb = feature("the role knowledge base", "careerlens.kb.roles", "load_kb")
    try:
        return load_kb()
    except KnowledgeBaseError as exc:
        if "file not found" in exc.message:
            raise FeatureUnavailableError("the role knowledge base", detail="roles.toml is missing") from exc
        raise


async def get_cache(request: Request) -> LRUCache:
    cache: LRUCache = request.app.state.cache
    return cache


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def upload_rate_limit(request: Request) -> None:
    """Dependency of the upload endpoints: 429 with Retry-After when a client uploads too often."""
    bucket: TokenBucket = request.app.state.upload_bucket
    wait = bucket.take(client_key(request))
    if wait > 0:
        raise RateLimitedError(max(1, int(wait + 0.999)))


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[StoreHandle, Depends(get_store_handle)]
KBDep = Annotated[Any, Depends(get_kb)]
CacheDep = Annotated[LRUCache, Depends(get_cache)]
UploadLimited = Depends(upload_rate_limit)
# an optional free-text query parameter (role, country, level, ...); blank means no filter (render.clean)
Text = Annotated[str | None, Query(max_length=80)]
