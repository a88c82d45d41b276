"""The reply address of a ticket's mails, `support+t<id>-<signature>@domain`: a reply to it is a comment on
that ticket. The signature stops a made-up address from naming another ticket; the sender must still be
allowed to comment on it."""

import hashlib
import hmac
import re

from app.settings import Settings

TOKEN = re.compile(r"t(\d{1,12})-([0-9a-f]{16})")


def _signature(settings: Settings, ticket_id: int) -> str:
    digest = hmac.new(settings.signing_key.encode(), f"ticket-reply:{ticket_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def reply_address(settings: Settings, ticket_id: int) -> str:
    """The Reply-To of the ticket's mails; none while inbound mail is off (nobody would read the replies)."""
    if not settings.inbound_imap_url:
        return ""
    local, _, domain = settings.support_address.partition("@")
    return f"{local}+t{ticket_id}-{_signature(settings, ticket_id)}@{domain}"


def ticket_in_address(settings: Settings, address: str) -> int | None:
    """The ticket id a reply address names, if its signature is ours."""
    local = address.partition("@")[0].lower()
    _, plus, token = local.partition("+")
    found = TOKEN.fullmatch(token) if plus else None
    if found is None:
        return None
    ticket_id = int(found.group(1))
    return ticket_id if hmac.compare_digest(found.group(2), _signature(settings, ticket_id)) else None
