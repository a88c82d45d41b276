from tortoise import migrations
from tortoise.migrations import operations as ops
from app.insights.models import CallerRole, Purpose
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='SearchEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('query', fields.CharField(description='Normalised text, personal data masked', max_length=200)),
                ('language', fields.CharField(max_length=5)),
                ('role', fields.CharEnumField(description='Main role of the caller, never the caller', enum_type=CallerRole, max_length=12)),
                ('purpose', fields.CharEnumField(description='SEARCH: search\nSUGGEST: suggest\nNEW_TICKET: new_ticket', enum_type=Purpose, max_length=12)),
                ('result_count', fields.IntField(default=0)),
                ('opened_hit_id', fields.CharField(null=True, description='First hit opened', max_length=80)),
                ('opened_rank', fields.IntField(null=True, description='Position of the opened hit, from 1')),
                ('ticket_followed', fields.BooleanField(default=False, description='A ticket was opened within 30 minutes')),
                ('deflected', fields.BooleanField(default=False, description='The visitor said this solved the problem')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('typed_at', fields.DatetimeField(description='Last time the text changed, for typing bursts', auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'insights_search_event', 'app': 'insights', 'indexes': [Index(fields=['created_at']), Index(fields=['query'])], 'pk_attr': 'id', 'table_description': 'What was searched and what followed: a click, a ticket or a solved problem.'},
            bases=['Model'],
        ),
    ]
