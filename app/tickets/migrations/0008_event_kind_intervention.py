from tortoise import migrations
from tortoise.migrations import operations as ops
from app.tickets.models import EventKind
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('tickets', '0007_ticket_rating')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='TicketEvent',
            name='kind',
            field=fields.CharEnumField(description='CREATED: created\nSTATUS: status\nASSIGNED: assigned\nFIELDS: fields\nCOMMENT: comment\nNOTE: note\nATTACHMENT: attachment\nWORK: work\nDUPLICATE: duplicate\nINTERVENTION: intervention', enum_type=EventKind, max_length=20),
        ),
    ]
