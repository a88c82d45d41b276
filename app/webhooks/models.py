"""Webhooks: endpoints admins register, and one delivery row per event and endpoint, written in the same
transaction as the change it reports (the outbox), with a log of every attempt."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from app.i18n import N_


class WebhookEvent(StrEnum):
    TICKET_CREATED = "ticket.created"
    TICKET_CHANGED = "ticket.changed"
    COMMENT_CREATED = "comment.created"
    ARTICLE_PUBLISHED = "article.published"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last retry


class WebhookEndpoint(Model):
    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=500)
    description = fields.CharField(max_length=200, default="")
    events = fields.JSONField(default=list, description="WebhookEvent values this endpoint receives")
    # Kept as is: every delivery is signed with it (HMAC needs the key itself); it is shown once, at creation.
    secret = fields.CharField(max_length=100)
    active = fields.BooleanField(default=True)
    created_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "webhook_endpoint"
        ordering = ["id"]


class WebhookDelivery(Model):
    id = fields.BigIntField(primary_key=True)
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "webhooks.WebhookEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    event_id = fields.CharField(max_length=36, description="Shared by the deliveries of one event")
    event = fields.CharField(max_length=40)
    body = fields.TextField(description="The exact bytes sent and signed (UTF-8 JSON)")
    status = fields.CharEnumField(DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_status_code = fields.IntField(null=True)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    delivered_at = fields.DatetimeField(null=True)

    endpoint_id: int

    class Meta:
        table = "webhook_delivery"
        indexes = (("status", "next_attempt_at"),)
        ordering = ["-id"]


class WebhookAttempt(Model):
    """The delivery log: one row per HTTP attempt."""

    id = fields.BigIntField(primary_key=True)
    delivery: fields.ForeignKeyRelation[WebhookDelivery] = fields.ForeignKeyField(
        "webhooks.WebhookDelivery", related_name="attempt_log", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField()
    status_code = fields.IntField(null=True, description="None: no answer (refused, timeout)")
    error = fields.TextField(default="")
    duration_ms = fields.IntField()

    delivery_id: int

    class Meta:
        table = "webhook_attempt"
        ordering = ["id"]


LABELS = (N_("pending"), N_("delivered"), N_("failed"))
