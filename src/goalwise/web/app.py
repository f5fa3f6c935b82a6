"""The web application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from goalwise.config import Settings, get_settings
from goalwise.core.metric import value_unit
from goalwise.services.accounts.keys import verify_key
from goalwise.services.context import Context, open_database
from goalwise.storage.engine import Database
from goalwise.storage.migrate import ensure_current
from goalwise.web import errors
from goalwise.web.api import add_routes, include_api
from goalwise.web.body_limit import BodyLimitMiddleware
from goalwise.web.direct import install_direct_routes
from goalwise.web.forwarded import ForwardedHeadersMiddleware
from goalwise.web.id_range import IdRangeMiddleware
from goalwise.web.localtime import local_time
from goalwise.web.route_index import index_routes
from goalwise.web.routes import dashboard, home
from goalwise.web.routes.accounts import account, admin, auth, register, settings_page
from goalwise.web.routes.cards import card_pages, home_card_page, rater_page
from goalwise.web.routes.clinic import clients_page, health
from goalwise.web.routes.goals import goal_page, goal_write, needs_page, plan_page, propose_page
from goalwise.web.routes.measurement import alert_pages, assess, checkin_page, log_pages, records_page
from goalwise.web.routes.progress import (
    chart_image,
    client_page,
    data_page,
    my_goal,
    questionnaire_page,
    report_page,
)
from goalwise.web.routes.reviews import review_page
from goalwise.web.routes.sharing import calendar_feed, family_page, privacy_pages, share, share_chart
from goalwise.web.routes.transfer import import_page
from goalwise.web.security import SecurityHeadersMiddleware
from goalwise.web.timeout import RequestTimeoutMiddleware

__all__ = ["API_VERSION", "create_app", "page_routers"]

#: The version of the JSON API (its routes live under /api/v1).
API_VERSION = "1"

_HERE = Path(__file__).parent


def page_routers() -> list[APIRouter]:
    """Routers of the HTML pages and health check (the JSON API's routes are added by ``include_api``)."""
    return [
        m.router
        for m in (
            health,
            home,
            auth,
            register,
            account,
            dashboard,
            admin,
            privacy_pages,
            share,
            assess,
            alert_pages,
            checkin_page,
            records_page,
            import_page,
            clients_page,
            client_page,
            chart_image,
            data_page,
            report_page,
            calendar_feed,
            card_pages,
            rater_page,
            home_card_page,
            goal_write,
            goal_page,
            plan_page,
            needs_page,
            review_page,
            my_goal,
            log_pages,
            propose_page,
            settings_page,
            family_page,
            share_chart,
            questionnaire_page,
        )
    ]


def create_app(
    settings: Settings | None = None, db: Database | None = None, *, check_schema: bool = True
) -> FastAPI:
    """Build the app for ``settings`` (default: the environment) on ``db`` (default: from settings).

    With ``check_schema`` the app refuses to start on a database that is not at the newest
    migration; the error names ``goalwise db upgrade``.
    """
    settings = settings or get_settings()
    database = db or open_database(settings)
    if check_schema:
        ensure_current(database)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if db is None:  # we made it, we close it
            database.dispose()

    app = FastAPI(
        title="Goalwise",
        # The API's version, not the package's: anonymous visitors read this schema (see web.render).
        version=API_VERSION,
        description="SMART therapy goals and measurement-based care. JSON API under /api/v1.",
        docs_url=None,  # the bundled Swagger UI loads from a CDN; the schema is at /openapi.json
        redoc_url=None,
        lifespan=lifespan,
        # No OpenTelemetry: FastAPI's would record request bodies (client content) wherever a
        # provider happens to be configured, and asking whether one is costs every request.
        telemetry={
            "tracing": False,
            "metrics": False,
            "logs": False,
            "operation_spans": False,
            "auto_configure": False,
        },
    )
    app.state.settings = settings
    app.state.db = database
    app.state.ctx = Context.open(settings, database)
    if check_schema:
        verify_key(app.state.ctx)
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    templates.env.filters["local"] = local_time  # times in the client's own time zone
    templates.env.globals["value_unit"] = value_unit  # "75 % of conversations", not "75 conversations"
    app.state.templates = templates
    # Innermost: an oversized body is refused before any handler reads it (with every security header).
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(IdRangeMiddleware)
    app.add_middleware(RequestTimeoutMiddleware, seconds=settings.request_timeout_seconds)
    # Added first, so it runs inside the headers middleware: a 500 gets every security header.
    app.add_middleware(errors.UnexpectedErrorMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.cookie_secure)
    # Outermost: every layer inside sees the client's address, from a trusted proxy's headers only.
    app.add_middleware(ForwardedHeadersMiddleware, trusted=settings.trusted_proxy_networks)
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    errors.install_error_handlers(app)
    # The API first: a phone's check-in is matched against the API's routes only, not every page's too.
    include_api(app)
    for router in page_routers():
        add_routes(app, router)
    install_direct_routes(app.router.routes)
    index_routes(app.router.routes)
    return app
