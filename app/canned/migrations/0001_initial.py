from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_sessions_and_rate_limits')]

    initial = True

    operations = [
        ops.CreateModel(
            name='CannedReply',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('title', fields.CharField(max_length=120)),
                ('body', fields.TextField(unique=False)),
                ('owner', fields.ForeignKeyField('accounts.User', source_field='owner_id', null=True, description='None: shared by every technician', db_constraint=True, to_field='id', related_name='canned_replies', on_delete=OnDelete.CASCADE)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'canned_reply', 'app': 'canned', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
