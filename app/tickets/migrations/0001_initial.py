from tortoise import migrations
from tortoise.migrations import operations as ops
from app.tickets.choices import Priority, Severity
from app.tickets.models import Channel, EventKind
from app.tickets.workflow import Status, TicketType
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Category',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=100)),
                ('active', fields.BooleanField(default=True)),
            ],
            options={'table': 'ticket_category', 'app': 'tickets', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Closure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('day', fields.DateField(unique=True)),
                ('reason', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'ticket_closure', 'app': 'tickets', 'pk_attr': 'id', 'table_description': 'A day support is closed (besides weekends and Italian public holidays), set by an admin.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Product',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=100)),
                ('active', fields.BooleanField(default=True)),
            ],
            options={'table': 'ticket_product', 'app': 'tickets', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Ticket',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.IntField(null=True, unique=True, description='Shown as TT followed by the number')),
                ('title', fields.CharField(max_length=200)),
                ('ticket_type', fields.CharEnumField(description='CHIARIMENTO: chiarimento\nANOMALIA: anomalia\nRICHIESTA: richiesta', enum_type=TicketType, max_length=30)),
                ('priority', fields.CharEnumField(default=Priority.MEDIA, description='URGENTE: urgente\nMEDIA: media\nNON_URGENTE: non_urgente', enum_type=Priority, max_length=20)),
                ('severity', fields.CharEnumField(default=Severity.NON_BLOCCANTE, description='BLOCCANTE: bloccante\nNON_BLOCCANTE: non_bloccante', enum_type=Severity, max_length=20)),
                ('status', fields.CharEnumField(default=Status.APERTO, description='APERTO: aperto\nATTESA_SUPPORTO: attesa_supporto\nATTESA_CLIENTE: attesa_cliente\nIN_CORSO: in_corso\nPIANIFICATO: pianificato\nATTESA_PROGRAMMAZIONE: attesa_programmazione\nRISOLTO: risolto\nCHIUSO: chiuso\nBLOCCATO: bloccato\nNON_CONSIDERARE: non_considerare', enum_type=Status, max_length=30)),
                ('channel', fields.CharEnumField(default=Channel.PORTAL, description='PORTAL: portal\nEMAIL: email\nPHONE: phone', enum_type=Channel, max_length=10)),
                ('category', fields.ForeignKeyField('tickets.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.SET_NULL)),
                ('product', fields.ForeignKeyField('tickets.Product', source_field='product_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.SET_NULL)),
                ('description', fields.TextField(unique=False)),
                ('requester', fields.ForeignKeyField('accounts.User', source_field='requester_id', db_constraint=True, to_field='id', related_name='requested_tickets', on_delete=OnDelete.RESTRICT)),
                ('company', fields.ForeignKeyField('accounts.Company', source_field='company_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.SET_NULL)),
                ('opened_by', fields.ForeignKeyField('accounts.User', source_field='opened_by_id', db_constraint=True, to_field='id', related_name='opened_tickets', on_delete=OnDelete.RESTRICT)),
                ('assignee', fields.ForeignKeyField('accounts.User', source_field='assignee_id', null=True, db_constraint=True, to_field='id', related_name='assigned_tickets', on_delete=OnDelete.SET_NULL)),
                ('taken_by', fields.ForeignKeyField('accounts.User', source_field='taken_by_id', null=True, db_constraint=True, to_field='id', related_name='taken_tickets', on_delete=OnDelete.SET_NULL)),
                ('duplicate_of', fields.ForeignKeyField('tickets.Ticket', source_field='duplicate_of_id', null=True, db_constraint=True, to_field='id', related_name='duplicates', on_delete=OnDelete.SET_NULL)),
                ('planned_hours', fields.DecimalField(null=True, max_digits=7, decimal_places=2)),
                ('planned_days', fields.IntField(null=True)),
                ('resolution', fields.TextField(default='', description='Informazioni soluzione', unique=False)),
                ('sla_deadline', fields.DatetimeField(description='Take in charge before this instant', auto_now=False, auto_now_add=False)),
                ('taken_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_interaction_at', fields.DatetimeField(description='Drives the automatic close of resolved tickets', auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1, description='Optimistic lock: bumped by every edit')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'ticket', 'app': 'tickets', 'indexes': [Index(fields=['status', 'last_interaction_at']), Index(fields=['company_id', 'status']), Index(fields=['assignee_id', 'status'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Attachment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='attachments', on_delete=OnDelete.CASCADE)),
                ('uploaded_by', fields.ForeignKeyField('accounts.User', source_field='uploaded_by_id', db_constraint=True, to_field='id', related_name='ticket_attachments', on_delete=OnDelete.RESTRICT)),
                ('stored_name', fields.CharField(unique=True, max_length=80)),
                ('original_name', fields.CharField(max_length=200)),
                ('content_type', fields.CharField(max_length=120)),
                ('size', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ticket_attachment', 'app': 'tickets', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Comment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('accounts.User', source_field='author_id', db_constraint=True, to_field='id', related_name='ticket_comments', on_delete=OnDelete.RESTRICT)),
                ('body', fields.TextField(unique=False)),
                ('internal', fields.BooleanField(default=False, description='Staff only: never shown or mailed to requesters')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ticket_comment', 'app': 'tickets', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('actor', fields.ForeignKeyField('accounts.User', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='ticket_events', on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharEnumField(description='CREATED: created\nSTATUS: status\nASSIGNED: assigned\nFIELDS: fields\nCOMMENT: comment\nNOTE: note\nATTACHMENT: attachment\nWORK: work\nDUPLICATE: duplicate', enum_type=EventKind, max_length=20)),
                ('from_status', fields.CharField(default='', max_length=30)),
                ('to_status', fields.CharField(default='', max_length=30)),
                ('detail', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ticket_event', 'app': 'tickets', 'pk_attr': 'id', 'table_description': 'The audit trail: who changed what and when. A null actor is the system.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WorkLog',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('tickets.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='work_logs', on_delete=OnDelete.CASCADE)),
                ('technician', fields.ForeignKeyField('accounts.User', source_field='technician_id', db_constraint=True, to_field='id', related_name='work_logs', on_delete=OnDelete.RESTRICT)),
                ('day', fields.DateField()),
                ('hours', fields.DecimalField(max_digits=6, decimal_places=2)),
                ('note', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ticket_work_log', 'app': 'tickets', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
