"""The requests a browser sends on opening a page, built from what the server itself serves.

Used by the server to prepare the answers of the first visits before it opens its port
(:func:`dashboard.answer_cache.first_visits`) and by the load benchmark to replay
visits over HTTP (:mod:`bench.dash_client`), so that both send what a browser sends.

The callbacks come from ``/_dash-dependencies`` and each page's ids and values from its layout
(the Dash Pages router callback's answer).  A "page visit" is what dash-renderer does on
opening a page: GET the page, POST the router callback, then POST every server-side callback
that fires on load (not clientside, not ``prevent_initial_call``) with the values the layout
holds — or a chosen region.  The bodies have the renderer's form (checked against headless
Chromium): an initial call names no changed property (``changedPropIds: []``), the router
names every input it has, ``parsedChangedPropsIds`` repeats them, ``state`` is left out when
the callback has none and a property the layout does not set has no ``value``.

Nothing here imports Dash or the app: ``session`` is anything with ``get(url, timeout=)`` and
``post(url, data=, headers=, timeout=)`` returning an object with ``json()`` and
``raise_for_status()`` (a :mod:`requests` session, or :class:`LocalSession` in the server).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Self

ROUTER_OUTPUT = "_pages_content"
REGION_ID = "global-region"
LOCATION = "_pages_location"
ENDPOINT = "/_dash-update-component"


def encode(body: dict) -> bytes:
    """A request body as the browser writes it (``JSON.stringify``: no spaces)."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _split_output(output: str) -> list[tuple[str | dict, str]]:
    if output.startswith(".."):
        parts = output[2:-2].split("...")
    else:
        parts = [output]
    pairs = [p.rsplit(".", 1) for p in parts]
    return [(json.loads(cid) if cid.startswith("{") else cid, prop) for cid, prop in pairs]


def walk(node, found: dict[str, dict]) -> None:
    """Every component with a plain string id: id → its props."""
    if isinstance(node, list):
        for item in node:
            walk(item, found)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            if isinstance(props.get("id"), str):
                found[props["id"]] = props
            node = props
        for value in node.values():
            if isinstance(value, (dict, list)):
                walk(value, found)


@dataclass
class Callback:
    output: str
    outputs: list[dict]
    inputs: list[tuple[str, str]]
    state: list[tuple[str, str]]
    fires_on_load: bool

    def payload(self, values: dict[str, dict], path: str,
                changed: list[str] | None = None) -> dict | None:
        """The request body, or None when an id is not on this page.  ``changed``: the
        properties that triggered it (none for a call on load, as the renderer sends)."""
        def item(cid: str, prop: str) -> dict | None:
            if cid == LOCATION:
                return {"id": cid, "property": prop, "value": path if prop == "pathname" else ""}
            if cid not in values:
                return None
            props = values[cid]
            return {"id": cid, "property": prop,
                    **({"value": props[prop]} if prop in props else {})}

        if any(isinstance(o["id"], str) and o["id"] not in values for o in self.outputs):
            return None  # the browser only calls back for outputs that are on the page
        inputs = [item(*i) for i in self.inputs]
        state = [item(*s) for s in self.state]
        if any(x is None for x in inputs + state):
            return None
        outputs = self.outputs if self.output.startswith("..") else self.outputs[0]
        changed = list(changed or [])
        body = {"output": self.output, "outputs": outputs, "inputs": inputs,
                "changedPropIds": changed, "parsedChangedPropsIds": changed}
        if state:
            body["state"] = state
        return body


class LocalSession:
    """A :mod:`requests`-like session over a Flask test client (no socket, no thread)."""

    def __init__(self, client, headers: dict | None = None):
        self.client, self.headers = client, headers or {}

    def get(self, url: str, timeout: float | None = None) -> _Answer:
        return _Answer(self.client.get(url, headers=self.headers))

    def post(self, url: str, data: bytes | str, headers: dict | None = None,
             timeout: float | None = None) -> _Answer:
        return _Answer(self.client.post(url, data=data, headers={**self.headers,
                                                                 **(headers or {})}))


class _Answer:
    def __init__(self, response):
        self.response = response
        self.status_code = response.status_code

    def json(self):
        return json.loads(self.response.get_data())

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}")


JSON = {"Content-Type": "application/json"}


@dataclass
class Site:
    """The pages and callbacks a server offers, captured over HTTP (or a :class:`LocalSession`)."""
    url: str
    paths: list[str]
    callbacks: list[Callback]
    router: Callback
    poll: Callback | None
    pages: dict[str, dict[str, dict]] = field(default_factory=dict)  # path → id → props
    regions: list[str] = field(default_factory=list)

    @classmethod
    def capture(cls, url: str, session=None) -> Self:
        if session is None:
            import requests

            session = requests.Session()
        deps = session.get(url + "/_dash-dependencies", timeout=30).json()
        shell: dict[str, dict] = {}
        walk(session.get(url + "/_dash-layout", timeout=30).json(), shell)
        callbacks, router, poll = [], None, None
        for dep in deps:
            if dep.get("clientside_function"):
                continue
            ids = [i["id"] for i in dep["inputs"] + dep["state"]]
            if not all(isinstance(i, str) and not i.startswith("{") for i in ids):
                continue  # pattern-matching ids: clicks on generated buttons, not page loads
            outputs = [{"id": cid, "property": prop} for cid, prop in _split_output(dep["output"])]
            cb = Callback(dep["output"], outputs, [(i["id"], i["property"]) for i in dep["inputs"]],
                          [(s["id"], s["property"]) for s in dep["state"]],
                          not dep.get("prevent_initial_call"))
            if outputs[0]["id"] == ROUTER_OUTPUT:
                router = cb
            elif cb.inputs[0][1] == "n_intervals":
                poll = cb
            else:
                callbacks.append(cb)
        if router is None:
            raise RuntimeError("no Dash Pages router callback in /_dash-dependencies")
        paths = list(shell.get("nav-paths", {}).get("data") or ["/"])
        site = cls(url, paths, callbacks, router, poll)
        for path in paths:
            answer = session.post(url + ENDPOINT, data=encode(site.router_payload(shell, path)),
                                  headers=JSON, timeout=60)
            answer.raise_for_status()
            found = dict(shell)
            walk(answer.json()["response"], found)
            site.pages[path] = found
            options = found.get(REGION_ID, {}).get("options") or []
            if options and not site.regions:
                site.regions = [o["value"] if isinstance(o, dict) else o for o in options]
        return site

    def router_payload(self, values: dict[str, dict], path: str) -> dict:
        """The router's request on opening ``path``: every input of it changed (the location)."""
        return self.router.payload(values, path, [f"{c}.{p}" for c, p in self.router.inputs])

    def visit(self, path: str, region: str | None = None) -> list[tuple[str, str, dict | None]]:
        """(kind, url path, body) of the requests a browser sends on opening ``path``."""
        values = {k: dict(v) for k, v in self.pages[path].items()}
        if region is not None and REGION_ID in values:
            values[REGION_ID]["value"] = region
        steps: list[tuple[str, str, dict | None]] = [("page", path, None),
                                                     ("router", ENDPOINT,
                                                      self.router_payload(values, path))]
        for cb in self.callbacks:
            if cb.fires_on_load and (body := cb.payload(values, path)) is not None:
                steps.append((f"callback {cb.outputs[0]['id']}", ENDPOINT, body))
        return steps

    def poll_request(self, path: str) -> tuple[str, str, dict] | None:
        """The data-version poll every open page sends on its interval."""
        if self.poll is None:
            return None
        values = dict(self.pages[path])
        values["data-version-tick"] = {**values.get("data-version-tick", {}), "n_intervals": 1}
        body = self.poll.payload(values, path, [f"{self.poll.inputs[0][0]}.n_intervals"])
        return None if body is None else ("poll", ENDPOINT, body)
