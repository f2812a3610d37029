"""Scale-out job delivery with taskiq: RabbitMQ (taskiq-aio-pika) or Redis streams.

`CVLENS_BROKER_URL=amqp://…` or `redis://…` picks the broker. The only task is
"run job N"; everything else about a job lives in its database row.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from taskiq import AsyncBroker
from taskiq.kicker import AsyncKicker
from taskiq_aio_pika import AioPikaBroker
from taskiq_aio_pika.exchange import Exchange
from taskiq_aio_pika.queue import Queue
from taskiq_redis import RedisStreamBroker

RUN_JOB_TASK = "cvlens.run_job"


def create_broker(url: str, queue: str, *, prefetch: int) -> AsyncBroker:
    if url.startswith(("amqp://", "amqps://")):
        return AioPikaBroker(
            url,
            exchange=Exchange(name=queue),
            task_queues=[Queue(name=queue)],
            qos=prefetch,
        )
    if url.startswith(("redis://", "rediss://")):
        return RedisStreamBroker(
            url,
            queue_name=queue,
            consumer_group_name=queue,
            unacknowledged_lock_timeout=30,
        )
    raise ValueError(f"unsupported CVLENS_BROKER_URL {url!r}: use amqp://… or redis://…")


class BrokerDispatcher:
    """Publishes "run job N" to the broker's queue."""

    def __init__(self, broker: AsyncBroker) -> None:
        self.broker = broker
        self._kicker: AsyncKicker[[str], None] = AsyncKicker(RUN_JOB_TASK, broker, {})

    async def publish(self, job_id: uuid.UUID) -> None:
        await self._kicker.kiq(str(job_id))


def register_job_task(broker: AsyncBroker, run: Callable[[uuid.UUID], Awaitable[None]]) -> None:
    async def run_job(job_id: str) -> None:
        await run(uuid.UUID(job_id))

    broker.register_task(run_job, task_name=RUN_JOB_TASK)
