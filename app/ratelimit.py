"""Per-client attempt limits for login, registration and password reset (in-process, moving window)."""

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request

LOGIN = parse("10/5 minutes")
REGISTER = parse("5/hour")
RESET = parse("5/15 minutes")

_limiter = MovingWindowRateLimiter(MemoryStorage())


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def hit(limit: RateLimitItem, scope: str, *keys: str) -> bool:
    """Record an attempt under every key; False when any of them has used up its window."""
    results = [_limiter.hit(limit, scope, key.lower()) for key in keys]
    return all(results)


def reset_all() -> None:
    _limiter.storage.reset()
