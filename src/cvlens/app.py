"""`create_app(settings)` wires settings, platform adapters, middleware and features."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from cvlens import __version__
from cvlens.features.auth.router import routers as auth_routers
from cvlens.features.auth.runtime import AuthRuntime
from cvlens.features.health.router import router as health_router
from cvlens.platform import readiness
from cvlens.platform.db import create_engine, create_sessionmaker
from cvlens.platform.errors import install_error_handlers
from cvlens.platform.observability import (
    HttpMetrics,
    RequestContextMiddleware,
    configure_logging,
)
from cvlens.platform.ratelimit import RateLimiter
from cvlens.settings import Settings


def _local_storage_dir(storage_url: str) -> Path | None:
    if storage_url.startswith("file://"):
        return Path(storage_url.removeprefix("file://"))
    return None


def _register_probes(app: FastAPI, settings: Settings) -> readiness.ReadinessChecks:
    checks = readiness.ReadinessChecks()
    checks.add("database", readiness.database_probe(app.state.engine))
    blob_dir = _local_storage_dir(settings.storage_url)
    if blob_dir is not None:
        blob_dir.mkdir(parents=True, exist_ok=True)
        checks.add("storage", readiness.directory_probe(blob_dir))
    if settings.redis_url:
        checks.add("redis", readiness.redis_probe(settings.redis_url))
    if settings.broker_url:
        if settings.broker_url.startswith("amqp"):
            checks.add("broker", readiness.amqp_probe(settings.broker_url))
        else:
            checks.add("broker", readiness.redis_probe(settings.broker_url))
    return checks


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    app.state.engine = create_engine(settings)
    app.state.sessionmaker = create_sessionmaker(app.state.engine)
    app.state.readiness = _register_probes(app, settings)
    # No readiness probe for an external IdP: its outage would take every replica out of
    # service at once, while our own tokens, API tokens and cached IdP keys still work.
    app.state.auth = AuthRuntime.from_settings(settings)
    app.state.limiter = RateLimiter.from_settings(settings)
    try:
        yield
    finally:
        await app.state.limiter.aclose()
        await app.state.auth.aclose()
        await app.state.engine.dispose()


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
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.add_middleware(RequestContextMiddleware, metrics=HttpMetrics(app.state.metrics_registry))
    app.include_router(health_router)
    for router in auth_routers:
        app.include_router(router)

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        registry: CollectorRegistry = request.app.state.metrics_registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app
