"""The JSON API under ``/api/v1``: one module per resource, each exposing ``router``.

Resources are grouped in one folder per capability (the same names as ``services/`` and
``cli/``). Modules are found by walking the folders, so adding a resource is adding a module.
Every route declares who may call it in ``openapi_extra={"x-access": POLICY}`` (see
``access.py``); the authorization matrix test reads that and fails for a route without one.
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
    """Mount every resource router of this package under ``/api/v1``."""
    root = APIRouter(prefix=PREFIX)
    for router in api_routers():
        root.include_router(router)
    app.include_router(root)
