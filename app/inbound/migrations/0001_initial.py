from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from app.inbound.models import Outcome


class Migration(migrations.Migration):
    dependencies = [('tickets', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='InboundMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('message_key', fields.CharField(unique=True, description='Message-ID, or sha256: of the raw mail', max_length=255)),
                ('sender', fields.CharField(description='From address, lower-case', max_length=254)),
                ('subject', fields.CharField(default='', max_length=300)),
                ('outcome', fields.CharEnumField(description='TICKET: ticket\nCOMMENT: comment\nIGNORED: ignored\nREFUSED: refused\nUNKNOWN: unknown', enum_type=Outcome, max_length=10)),
                ('reason', fields.CharField(default='', description='English msgid: why ignored or refused', max_length=200)),
                ('notes', fields.TextField(default='', description='Attachments refused, one per line', unique=False)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', null=True, db_constraint=True, to_field='id', related_name='inbound_messages', on_delete=OnDelete.SET_NULL)),
                ('comment', fields.ForeignKeyField('tickets.Comment', source_field='comment_id', null=True, db_constraint=True, to_field='id', related_name='inbound_messages', on_delete=OnDelete.SET_NULL)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'inbound_message', 'app': 'inbound', 'indexes': [Index(fields=['sender', 'received_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
