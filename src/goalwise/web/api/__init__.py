"""The JSON API under ``/api/v1``: one module per resource, each exposing ``router``.

Modules are found by name, so adding a resource is adding a module. Every route declares
who may call it in ``openapi_extra={"x-access": POLICY}`` (see ``access.py``); the
authorization matrix test reads that and fails for a route without one.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter, FastAPI

__all__ = ["PREFIX", "api_routers", "include_api"]

PREFIX = "/api/v1"


def api_routers() -> list[APIRouter]:
    """The router of every resource module, by module name."""
    routers = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name in ("access", "schemas"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            routers.append(router)
    return routers


def include_api(app: FastAPI) -> None:
    """Mount every resource router of this package under ``/api/v1``."""
    root = APIRouter(prefix=PREFIX)
    for router in api_routers():
        root.include_router(router)
    app.include_router(root)
