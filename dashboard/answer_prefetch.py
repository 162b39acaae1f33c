"""The rest of a region's pages, prepared while the worker has nothing else to do.

A visitor who opens one page for a region that no one asked about yet (its answers computed
now, :mod:`dashboard.answer_cache`) will most likely open the other pages for the same region
next.  Their first visits — every public page's router and on-load callbacks, with the region
put in place of the default one (:func:`dashboard.answer_cache.first_visits`) — are queued, at
most :data:`QUEUED` regions, and a thread per worker asks for them one by one, but only while
the worker answers no visitor (:attr:`AnswerCache.busy`): the work a visitor would wait for on
the next page is done in the pauses between requests instead.  Each is computed once for all
workers (the claims of :func:`dashboard.answer_cache.prepare`); a publish empties the queue.
"""

from __future__ import annotations

import collections
import json
import threading
import time

from dashboard import answer_cache, queries
from dashboard.visits import REGION_ID

QUEUED = 1024  # regions waiting to be prepared, at most (the oldest are dropped)
IDLE_WAIT = 0.02  # seconds between looks at a busy worker
EMPTY_WAIT = 0.2  # seconds between looks at an empty queue


class Prefetch:
    """One worker's queue of other pages to prepare for the regions its visitors ask about."""

    def __init__(self, app, cache: answer_cache.AnswerCache):
        self.app, self.cache = app, cache
        self.queue: collections.deque[bytes] = collections.deque(maxlen=QUEUED)  # regions
        self.version: tuple | None = None
        self.templates: list[dict] = []
        self.regions: set[str] = set()
        self._lock = threading.Lock()

    def _fresh(self) -> None:
        """A new published version: its first visits; the regions still queued are prepared
        for it, and a region asked about again is queued again."""
        _path, version = queries.store()
        if version != self.version:
            self.templates = [json.loads(body) for body in answer_cache.first_visits(self.app)]
            self.version = version
            with self._lock:
                self.regions = set(r.decode() for r in self.queue)

    def computed(self, payload: dict) -> None:
        """A visitor's request was computed: queue its region's other first visits."""
        region = next((i.get("value") for i in payload.get("inputs", [])
                       if i.get("id") == REGION_ID), None)
        if not isinstance(region, str):
            return
        with self._lock:
            if region not in self.regions:
                self.regions.add(region)
                self.queue.append(region.encode())

    def _bodies(self, region: str) -> list[bytes]:
        bodies = []
        for template in self.templates:
            inputs = template.get("inputs", [])
            if any(i.get("id") == REGION_ID for i in inputs):
                changed = [{**i, "value": region} if i.get("id") == REGION_ID else i
                           for i in inputs]
                bodies.append(answer_cache.canonical({**template, "inputs": changed}))
        return bodies

    def run(self) -> None:
        while True:
            try:
                self._step()
            except Exception:  # noqa: BLE001 — the thread must outlive a missing file
                time.sleep(EMPTY_WAIT)

    def _step(self) -> None:
        if not self.queue:
            time.sleep(EMPTY_WAIT)
            return
        self._fresh()
        with self._lock:
            if not self.queue:
                return
            region = self.queue.popleft().decode()
        for body in self._bodies(region):
            while self.cache.busy:
                time.sleep(IDLE_WAIT)
            answer_cache.prepare(self.app, self.cache, [body], answer_cache.PREPARE_SECONDS)


def start(app, cache: answer_cache.AnswerCache) -> threading.Thread:
    """In a worker (after any fork): prepare the other pages of the regions visitors ask about,
    while it answers no one."""
    prefetch = Prefetch(app, cache)
    cache.computed = prefetch.computed
    thread = threading.Thread(target=prefetch.run, name="slt-prefetch", daemon=True)
    thread.start()
    return thread
