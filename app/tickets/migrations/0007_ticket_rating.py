from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('accounts', '0002_sessions_and_rate_limits'), ('tickets', '0006_category_product_name_en')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Rating',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.OneToOneField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='rating', on_delete=OnDelete.CASCADE)),
                ('rated_by', fields.ForeignKeyField('accounts.User', source_field='rated_by_id', null=True, db_constraint=True, to_field='id', related_name='ticket_ratings', on_delete=OnDelete.SET_NULL)),
                ('score', fields.SmallIntField(description='1 (very unhappy) to 5 (very happy)')),
                ('comment', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'ticket_rating', 'app': 'tickets', 'indexes': [Index(fields=['updated_at'])], 'pk_attr': 'id', 'table_description': "The requester's satisfaction with a closed ticket: 1 to 5 and an optional comment, one per ticket"},
            bases=['Model'],
        ),
    ]
