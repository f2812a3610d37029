"""`create_app(settings)` wires settings, platform adapters, middleware and features."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from cvlens import __version__
from cvlens.features.analyses.router import router as analyses_router
from cvlens.features.auth.router import routers as auth_routers
from cvlens.features.auth.runtime import AuthRuntime
from cvlens.features.health.router import router as health_router
from cvlens.features.legacy_v1.errors import install_legacy_error_handler
from cvlens.features.legacy_v1.router import router as legacy_v1_router
from cvlens.features.resumes.router import router as resumes_router
from cvlens.platform.body_limit import BodySizeLimitMiddleware
from cvlens.platform.errors import install_error_handlers
from cvlens.platform.observability import (
    HttpMetrics,
    RequestContextMiddleware,
    configure_logging,
)
from cvlens.platform.ratelimit import RateLimiter
from cvlens.platform.resources import open_resources
from cvlens.runtime import api_job_runtime
from cvlens.settings import Settings
from cvlens.web.router import mount_web


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    async with open_resources(settings) as resources, api_job_runtime(resources) as dispatcher:
        app.state.resources = resources
        app.state.sessionmaker = resources.sessionmaker
        app.state.engine = resources.engine
        # No readiness probe for an external IdP: its outage would take every replica out
        # of service at once, while our own tokens, API tokens and cached IdP keys still work.
        app.state.readiness = resources.readiness_checks()
        app.state.dispatcher = dispatcher
        app.state.auth = AuthRuntime.from_settings(settings)
        app.state.limiter = RateLimiter.from_settings(settings)
        try:
            yield
        finally:
            await app.state.limiter.aclose()
            await app.state.auth.aclose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_json)
    app = FastAPI(
        title="CVLens",
        version=__version__,
        summary="Résumé intelligence: parse, review and match résumés against jobs.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics_registry = CollectorRegistry()
    install_error_handlers(app)
    install_legacy_error_handler(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    # Multipart framing needs a little more than the file itself.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_upload_bytes + 64 * 1024)
    app.add_middleware(RequestContextMiddleware, metrics=HttpMetrics(app.state.metrics_registry))
    app.include_router(health_router)
    for router in auth_routers:
        app.include_router(router)
    app.include_router(resumes_router)
    app.include_router(analyses_router)
    app.include_router(legacy_v1_router)
    mount_web(app)

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        registry: CollectorRegistry = request.app.state.metrics_registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app
