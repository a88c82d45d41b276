from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('searching', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SearchLexicon',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('synonyms', fields.JSONField(default=list, description='Groups of equivalent words or phrases, key first', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('stop_words', fields.JSONField(default=dict, description='Language code to the list of its stop words', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('version', fields.IntField(default=1, description='Bumped on every save so every process reconfigures')),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('updated_by', fields.ForeignKeyField('accounts.User', source_field='updated_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'search_lexicon', 'app': 'searching', 'pk_attr': 'id', 'table_description': 'The one lexicon row, id 1. Until an admin first saves it the built-in defaults apply.'},
            bases=['Model'],
        ),
    ]
