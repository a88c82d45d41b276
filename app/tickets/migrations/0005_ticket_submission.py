from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('tickets', '0004_attachment_comment')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Submission',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=64)),
                ('user', fields.ForeignKeyField('accounts.User', source_field='user_id', db_constraint=True, to_field='id', related_name='ticket_submissions', on_delete=OnDelete.CASCADE)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='submissions', on_delete=OnDelete.CASCADE)),
                ('comment', fields.ForeignKeyField('tickets.Comment', source_field='comment_id', null=True, db_constraint=True, to_field='id', related_name='submissions', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ticket_submission', 'app': 'tickets', 'pk_attr': 'id', 'table_description': "A form's one-time key: the first POST with it creates the ticket or comment, a repeat (double click,\nreload, a retry after a lost answer) finds what the first created. The unique key decides races."},
            bases=['Model'],
        ),
    ]
