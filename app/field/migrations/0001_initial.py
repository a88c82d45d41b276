from tortoise import migrations
from tortoise.migrations import operations as ops
from app.field.models import ExpenseKind, InterventionState
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_sessions_and_rate_limits'), ('tickets', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('technician', fields.OneToOneField('accounts.User', source_field='technician_id', db_constraint=True, to_field='id', related_name='calendar_feed', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'field_calendar_feed', 'app': 'field', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Intervention',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='interventions', on_delete=OnDelete.CASCADE)),
                ('technician', fields.ForeignKeyField('accounts.User', source_field='technician_id', db_constraint=True, to_field='id', related_name='interventions', on_delete=OnDelete.RESTRICT)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('place', fields.CharField(default='', max_length=300)),
                ('note', fields.CharField(default='', max_length=1000)),
                ('state', fields.CharEnumField(default=InterventionState.PROPOSED, description='PROPOSED: proposed\nCONFIRMED: confirmed\nDONE: done\nCANCELLED: cancelled', enum_type=InterventionState, max_length=20)),
                ('move_request', fields.CharField(default='', description="The requester's reason to move it", max_length=1000)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'field_intervention', 'app': 'field', 'indexes': [Index(fields=['technician_id', 'starts_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Expense',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('intervention', fields.ForeignKeyField('field.Intervention', source_field='intervention_id', db_constraint=True, to_field='id', related_name='expenses', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='TRAVEL: travel\nKM: km\nMEAL: meal\nMATERIAL: material\nOTHER: other', enum_type=ExpenseKind, max_length=20)),
                ('amount', fields.DecimalField(description='EUR', max_digits=10, decimal_places=2)),
                ('note', fields.CharField(default='', max_length=300)),
                ('receipt_name', fields.CharField(null=True, unique=True, description='Random stored file name', max_length=80)),
                ('receipt_original_name', fields.CharField(default='', max_length=200)),
                ('receipt_content_type', fields.CharField(default='', max_length=120)),
                ('receipt_size', fields.BigIntField(default=0)),
                ('created_by', fields.ForeignKeyField('accounts.User', source_field='created_by_id', db_constraint=True, to_field='id', related_name='field_expenses', on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'field_expense', 'app': 'field', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
