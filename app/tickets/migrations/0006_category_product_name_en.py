from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_sessions_and_rate_limits'), ('tickets', '0005_ticket_submission')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Category',
            name='name_en',
            field=fields.CharField(default='', description='English name', db_default='', max_length=100),
        ),
        ops.AddField(
            model_name='Product',
            name='name_en',
            field=fields.CharField(default='', description='English name', db_default='', max_length=100),
        ),
    ]
