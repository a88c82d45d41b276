from tortoise import migrations
from tortoise.migrations import operations as ops
from app.accounts.models import TokenPurpose, UserStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Company',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('vat_number', fields.CharField(default='', max_length=32)),
                ('fiscal_code', fields.CharField(default='', max_length=32)),
                ('phone', fields.CharField(default='', max_length=40)),
                ('email', fields.CharField(default='', max_length=254)),
                ('website', fields.CharField(default='', max_length=200)),
                ('address', fields.CharField(default='', max_length=300)),
                ('city', fields.CharField(default='', max_length=100)),
                ('postal_code', fields.CharField(default='', max_length=16)),
                ('province', fields.CharField(default='', max_length=40)),
                ('country', fields.CharField(default='Italia', max_length=60)),
                ('support_start', fields.DateField(null=True)),
                ('support_end', fields.DateField(null=True)),
                ('email_domains', fields.CharField(default='', description='Registrations from these join it', max_length=300)),
                ('shares_tickets', fields.BooleanField(default=True, description='Contacts may see all tickets of the company')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'company', 'app': 'accounts', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, description='Stored lower-case', max_length=254)),
                ('password_hash', fields.CharField(null=True, max_length=200)),
                ('full_name', fields.CharField(max_length=200)),
                ('phone', fields.CharField(default='', max_length=40)),
                ('mobile', fields.CharField(default='', max_length=40)),
                ('department', fields.CharField(default='', max_length=100)),
                ('job_title', fields.CharField(default='', max_length=100)),
                ('address', fields.CharField(default='', max_length=300)),
                ('company', fields.ForeignKeyField('accounts.Company', source_field='company_id', null=True, db_constraint=True, to_field='id', related_name='contacts', on_delete=OnDelete.SET_NULL)),
                ('is_requester', fields.BooleanField(default=False)),
                ('is_technician', fields.BooleanField(default=False)),
                ('is_editor', fields.BooleanField(default=False)),
                ('is_admin', fields.BooleanField(default=False)),
                ('status', fields.CharEnumField(default=UserStatus.ACTIVE, description='ACTIVE: active\nPENDING: pending\nDISABLED: disabled', enum_type=UserStatus, max_length=8)),
                ('must_change_password', fields.BooleanField(default=False)),
                ('locale', fields.CharField(default='it', max_length=5)),
                ('notify_own_tickets', fields.BooleanField(default=True)),
                ('notify_company_tickets', fields.BooleanField(default=False)),
                ('sees_company_tickets', fields.BooleanField(default=True)),
                ('session_version', fields.IntField(default=1, description='Bumped to end every session of this user')),
                ('registration_note', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'user', 'app': 'accounts', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AccountToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('accounts.User', source_field='user_id', db_constraint=True, to_field='id', related_name='tokens', on_delete=OnDelete.CASCADE)),
                ('purpose', fields.CharEnumField(description='SET_PASSWORD: set_password\nRESET_PASSWORD: reset_password', enum_type=TokenPurpose, max_length=14)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'account_token', 'app': 'accounts', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
