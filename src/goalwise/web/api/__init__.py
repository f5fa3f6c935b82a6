"""The JSON API under ``/api/v1``: one module per resource, each exposing ``router``.

Resources are grouped in one folder per capability (the same names as ``services/`` and
``cli/``). Modules are found by walking the folders, so adding a resource is adding a module.
Every route declares who may call it in ``openapi_extra={"x-access": POLICY}`` (see
``access.py``); the authorization matrix test reads that and fails for a route without one.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

__all__ = ["PREFIX", "api_routers", "include_api"]

PREFIX = "/api/v1"


def api_routers() -> list[APIRouter]:
    """The router of every resource module, by module name."""
    routers = []
    found = [info for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}.") if not info.ispkg]
    # Sorted by the module's own name: the order routes are matched in does not depend on the
    # capability folder that holds a resource.
    for info in sorted(found, key=lambda m: m.name.rsplit(".", 1)[-1]):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf.startswith("_") or leaf in ("access", "schemas"):
            continue
        module = importlib.import_module(info.name)
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            routers.append(router)
    return routers


def include_api(app: FastAPI) -> None:
    """Add every resource router's routes of this package to the app's own table, under ``/api/v1``."""
    for router in api_routers():
        add_routes(app, router, prefix=PREFIX)


def add_routes(app: FastAPI, router: APIRouter, *, prefix: str = "") -> None:
    """Add ``router``'s routes to ``app`` itself, with ``prefix`` before each path.

    FastAPI's ``include_router`` keeps the router as a nested branch, and matching a request walks every
    branch twice (to find the route, then again to handle it): a fifth of a check-in's time went there.
    Routes added to the app's own table are matched once, in one flat list.
    """
    names = [
        n
        for n in inspect.signature(APIRoute.__init__).parameters
        if n not in ("self", "path", "endpoint", "dependency_overrides_provider")
    ]
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"{route!r} is not an API route")
        app.router.add_api_route(prefix + route.path, route.endpoint, **{n: getattr(route, n) for n in names})
