"""The mail outbox: a row per message, written in the same transaction as the change it reports."""

from enum import StrEnum

from tortoise import fields

from app.i18n import N_
from tortoise.models import Model


class MailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry


class OutgoingMail(Model):
    id = fields.IntField(primary_key=True)
    recipient = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=300)
    text_body = fields.TextField()
    html_body = fields.TextField()
    template = fields.CharField(max_length=80, description="Which mail folder produced it")
    # Kept so a reply's In-Reply-To finds the mail it answers (app/inbound), and retries keep one id.
    message_id = fields.CharField(max_length=250, default="", db_default="", db_index=True)
    reply_to = fields.CharField(max_length=254, default="", db_default="", description="Reply-To header, if any")
    status = fields.CharEnumField(MailStatus, default=MailStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outgoing_mail"
        indexes = (("status", "next_attempt_at"),)


LABELS = (N_("pending"), N_("sent"), N_("failed"))
