from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_sessions_and_rate_limits')]

    initial = True

    operations = [
        ops.CreateModel(
            name='ApiToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('accounts.User', source_field='user_id', db_constraint=True, to_field='id', related_name='api_tokens', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('prefix', fields.CharField(description="The token's first characters, shown to tell tokens apart", max_length=16)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('scopes', fields.JSONField(default=list, description='read, write', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_used_at', fields.DatetimeField(null=True, description='Coarse: written at most once a minute', auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_token', 'app': 'api', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
