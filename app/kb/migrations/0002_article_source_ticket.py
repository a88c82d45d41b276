from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('kb', '0001_initial'), ('tickets', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Article',
            name='source_ticket',
            field=fields.OneToOneField('tickets.Ticket', source_field='source_ticket_id', null=True, description='The solved ticket this FAQ was promoted from', db_constraint=True, to_field='id', related_name='faq_article', on_delete=OnDelete.SET_NULL),
        ),
    ]
