from tortoise import migrations
from tortoise.migrations import operations as ops
from app.tickets.models import WorkKind
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_sessions_and_rate_limits'), ('contracts', '0001_initial'), ('tickets', '0008_event_kind_intervention')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Ticket',
            name='resolve_target_hours',
            field=fields.DecimalField(null=True, max_digits=6, decimal_places=2),
        ),
        ops.AddField(
            model_name='Ticket',
            name='sla_plan',
            field=fields.ForeignKeyField('contracts.SlaPlan', source_field='sla_plan_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Ticket',
            name='take_target_hours',
            field=fields.DecimalField(null=True, max_digits=6, decimal_places=2),
        ),
        ops.AddField(
            model_name='WorkLog',
            name='contract',
            field=fields.ForeignKeyField('contracts.ServiceContract', source_field='contract_id', null=True, db_constraint=True, to_field='id', related_name='work_logs', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='WorkLog',
            name='kind',
            field=fields.CharEnumField(default=WorkKind.BILLABLE, description='CONTRACT: contract\nWARRANTY: warranty\nOUT_OF_WARRANTY: out_of_warranty\nBILLABLE: billable', db_default=WorkKind.BILLABLE, enum_type=WorkKind, max_length=20),
        ),
    ]
