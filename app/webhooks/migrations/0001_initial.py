from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.webhooks.models import DeliveryStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_sessions_and_rate_limits')]

    initial = True

    operations = [
        ops.CreateModel(
            name='WebhookEndpoint',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('url', fields.CharField(max_length=500)),
                ('description', fields.CharField(default='', max_length=200)),
                ('events', fields.JSONField(default=list, description='WebhookEvent values this endpoint receives', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('secret', fields.CharField(max_length=100)),
                ('active', fields.BooleanField(default=True)),
                ('created_by', fields.ForeignKeyField('accounts.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'webhook_endpoint', 'app': 'webhooks', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('endpoint', fields.ForeignKeyField('webhooks.WebhookEndpoint', source_field='endpoint_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('event_id', fields.CharField(description='Shared by the deliveries of one event', max_length=36)),
                ('event', fields.CharField(max_length=40)),
                ('body', fields.TextField(description='The exact bytes sent and signed (UTF-8 JSON)', unique=False)),
                ('status', fields.CharEnumField(default=DeliveryStatus.PENDING, description='PENDING: pending\nDELIVERED: delivered\nFAILED: failed', enum_type=DeliveryStatus, max_length=9)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_status_code', fields.IntField(null=True)),
                ('last_error', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'webhook_delivery', 'app': 'webhooks', 'indexes': [Index(fields=['status', 'next_attempt_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookAttempt',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('delivery', fields.ForeignKeyField('webhooks.WebhookDelivery', source_field='delivery_id', db_constraint=True, to_field='id', related_name='attempt_log', on_delete=OnDelete.CASCADE)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status_code', fields.IntField(null=True, description='None: no answer (refused, timeout)')),
                ('error', fields.TextField(default='', unique=False)),
                ('duration_ms', fields.IntField()),
            ],
            options={'table': 'webhook_attempt', 'app': 'webhooks', 'pk_attr': 'id', 'table_description': 'The delivery log: one row per HTTP attempt.'},
            bases=['Model'],
        ),
    ]
