from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('mail', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='OutgoingMail',
            name='message_id',
            field=fields.CharField(default='', db_index=True, db_default='', max_length=250),
        ),
        ops.AddField(
            model_name='OutgoingMail',
            name='reply_to',
            field=fields.CharField(default='', description='Reply-To header, if any', db_default='', max_length=254),
        ),
    ]
