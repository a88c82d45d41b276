from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from app.contracts.models import AlertStage, SlaTarget


class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_sessions_and_rate_limits'), ('tickets', '0007_ticket_rating')]

    initial = True

    operations = [
        ops.CreateModel(
            name='SlaAlert',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='sla_alerts', on_delete=OnDelete.CASCADE)),
                ('target', fields.CharEnumField(description='TAKE: take\nRESOLVE: resolve', enum_type=SlaTarget, max_length=10)),
                ('stage', fields.CharEnumField(description='WARNING: warning\nBREACH: breach', enum_type=AlertStage, max_length=10)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'sla_alert', 'app': 'contracts', 'unique_together': (('ticket', 'target', 'stage'),), 'pk_attr': 'id', 'table_description': "The escalation job's marker: written in the transaction that queues the mails, unique per ticket, target"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SlaPlan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=100)),
                ('take_urgent', fields.DecimalField(description='Take in charge within, Urgente', max_digits=6, decimal_places=2)),
                ('take_medium', fields.DecimalField(description='Take in charge within, Media', max_digits=6, decimal_places=2)),
                ('take_low', fields.DecimalField(description='Take in charge within, Non urgente', max_digits=6, decimal_places=2)),
                ('resolve_urgent', fields.DecimalField(description='Resolve within, Urgente', max_digits=6, decimal_places=2)),
                ('resolve_medium', fields.DecimalField(description='Resolve within, Media', max_digits=6, decimal_places=2)),
                ('resolve_low', fields.DecimalField(description='Resolve within, Non urgente', max_digits=6, decimal_places=2)),
                ('work_days', fields.CharField(default='0,1,2,3,4', description='date.weekday() numbers, Monday = 0', max_length=20)),
                ('work_hours', fields.CharField(default='09:00-13:00,14:00-18:00', description='HH:MM-HH:MM intervals, 00:00-00:00 is the whole day', max_length=200)),
                ('closed_on_holidays', fields.BooleanField(default=True, description='Italian public holidays and closure days')),
                ('is_portal_default', fields.BooleanField(default=False, description='Applies when no contract or company plan does')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'sla_plan', 'app': 'contracts', 'pk_attr': 'id', 'table_description': "Targets in working hours per priority, counted on the plan's calendar (Europe/Rome wall clock)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CompanyPlan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.OneToOneField('accounts.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='default_plan', on_delete=OnDelete.CASCADE)),
                ('plan', fields.ForeignKeyField('contracts.SlaPlan', source_field='plan_id', db_constraint=True, to_field='id', related_name='company_defaults', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'sla_company_plan', 'app': 'contracts', 'pk_attr': 'id', 'table_description': "A company's default plan, for its tickets that no valid contract covers."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ServiceContract',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('accounts.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='service_contracts', on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=200)),
                ('number', fields.CharField(default='', description="The contract's number on paper", max_length=50)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('hours_bought', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('plan', fields.ForeignKeyField('contracts.SlaPlan', source_field='plan_id', null=True, db_constraint=True, to_field='id', related_name='contracts', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'service_contract', 'app': 'contracts', 'indexes': [Index(fields=['company_id', 'ends_on'])], 'pk_attr': 'id', 'table_description': 'Hours bought by a company for a period ("Servizi a contratto"), which work log entries draw on.'},
            bases=['Model'],
        ),
    ]
