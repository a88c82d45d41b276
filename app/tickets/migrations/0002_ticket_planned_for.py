from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('tickets', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Ticket',
            name='planned_for',
            field=fields.DateField(null=True, description='Date agreed with the requester while Pianificato'),
        ),
    ]
