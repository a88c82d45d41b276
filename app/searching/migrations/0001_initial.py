from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='IndexTask',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('source', fields.CharField(description='Name of the DocumentSource, e.g. ticket or faq', max_length=40)),
                ('object_id', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_error', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'index_outbox', 'app': 'searching', 'indexes': [Index(fields=['next_attempt_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
