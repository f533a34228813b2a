"""The gateway's graceful shutdown. On SIGTERM readiness goes false first
(GET /readyz answers 503 "draining", so the load balancer takes this replica
out); after drain_delay_s uvicorn stops accepting connections, closes idle
keep-alive ones, lets the requests in flight finish (up to its
timeout_graceful_shutdown, settings.shutdown_grace_s; notification streams
end at once) and then runs the lifespan's shutdown (channels, database).
A second signal during the delay stops at once, as uvicorn does."""

from __future__ import annotations

import signal
import time
from types import FrameType

import uvicorn
from fastapi import FastAPI


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI, *, drain_delay_s: float) -> None:
        super().__init__(config)
        self.app = app
        self.drain_delay_s = drain_delay_s
        self.exit_at: float | None = None
        app.state.draining = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.exit_at is None and sig == signal.SIGTERM and self.drain_delay_s > 0:
            self.app.state.draining = True
            self.exit_at = time.monotonic() + self.drain_delay_s
            return
        self.app.state.draining = True
        super().handle_exit(sig, frame)

    async def on_tick(self, counter: int) -> bool:
        if self.exit_at is not None and time.monotonic() >= self.exit_at:
            self.should_exit = True
        return await super().on_tick(counter)
