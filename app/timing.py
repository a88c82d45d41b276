"""`Server-Timing: app;dur=…` on every response: the milliseconds the portal spent before it started to
answer, which browsers' developer tools show and the HTTP benchmarks read beside what the client measured."""

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ServerTimingMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                spent = (time.perf_counter() - started) * 1000
                headers = [*message.get("headers", []), (b"server-timing", f"app;dur={spent:.2f}".encode())]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_timing)


def server_milliseconds(header: str) -> float | None:
    """The `app` duration of a Server-Timing header value, if there is one."""
    for metric in header.split(","):
        name, _, parameters = metric.strip().partition(";")
        if name == "app" and parameters.startswith("dur="):
            return float(parameters[4:])
    return None
