from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.kb.models import Audience, DocumentKind, TextStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Category',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=80)),
                ('name_it', fields.CharField(max_length=200)),
                ('name_en', fields.CharField(max_length=200)),
                ('parent', fields.ForeignKeyField('kb.Category', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.SET_NULL)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'kb_category', 'app': 'kb', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Article',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=120)),
                ('language', fields.CharField(max_length=2)),
                ('category', fields.ForeignKeyField('kb.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='articles', on_delete=OnDelete.SET_NULL)),
                ('audience', fields.CharEnumField(default=Audience.PUBLIC, description='PUBLIC: public\nCUSTOMERS: customers\nCOMPANY: company\nSTAFF: staff', enum_type=Audience, max_length=9)),
                ('translation_slug', fields.CharField(default='', description='Slug of the other language version', max_length=120)),
                ('related', fields.JSONField(default=list, description='Slugs shown as see also', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('source', fields.CharField(default='', description='File under kb_content when imported', max_length=300)),
                ('current_number', fields.IntField(default=0, description='Number of the latest version')),
                ('published_number', fields.IntField(null=True, description='Version readers see, none when unpublished')),
                ('suggested_by', fields.ForeignKeyField('accounts.User', source_field='suggested_by_id', null=True, db_constraint=True, to_field='id', related_name='suggested_articles', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'kb_article', 'app': 'kb', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('kb.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='versions', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('title', fields.CharField(max_length=300)),
                ('body', fields.TextField(unique=False)),
                ('tags', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('note', fields.CharField(default='', max_length=300)),
                ('author', fields.ForeignKeyField('accounts.User', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='article_versions', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'kb_article_version', 'app': 'kb', 'unique_together': (('article', 'number'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleFeedback',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('kb.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='feedback', on_delete=OnDelete.CASCADE)),
                ('version', fields.ForeignKeyField('kb.ArticleVersion', source_field='version_id', db_constraint=True, to_field='id', related_name='feedback', on_delete=OnDelete.CASCADE)),
                ('helpful', fields.BooleanField()),
                ('comment', fields.TextField(default='', unique=False)),
                ('user', fields.ForeignKeyField('accounts.User', source_field='user_id', null=True, db_constraint=True, to_field='id', related_name='article_feedback', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'kb_article_feedback', 'app': 'kb', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Document',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('title', fields.CharField(max_length=300)),
                ('description', fields.TextField(default='', unique=False)),
                ('kind', fields.CharEnumField(default=DocumentKind.OTHER, description='MANUAL: manual\nCONTRACT: contract\nFORM: form\nOTHER: other', enum_type=DocumentKind, max_length=8)),
                ('category', fields.ForeignKeyField('kb.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='documents', on_delete=OnDelete.SET_NULL)),
                ('audience', fields.CharEnumField(default=Audience.CUSTOMERS, description='PUBLIC: public\nCUSTOMERS: customers\nCOMPANY: company\nSTAFF: staff', enum_type=Audience, max_length=9)),
                ('company', fields.ForeignKeyField('accounts.Company', source_field='company_id', null=True, db_constraint=True, to_field='id', related_name='documents', on_delete=OnDelete.CASCADE)),
                ('language', fields.CharField(default='it', max_length=2)),
                ('stored_name', fields.CharField(max_length=80)),
                ('original_name', fields.CharField(max_length=200)),
                ('content_type', fields.CharField(max_length=120)),
                ('size', fields.BigIntField()),
                ('sha256', fields.CharField(default='', max_length=64)),
                ('text_status', fields.CharEnumField(default=TextStatus.NOT_PDF, description='NOT_PDF: not_pdf\nPENDING: pending\nREADY: ready\nNO_TEXT: no_text\nFAILED: failed', enum_type=TextStatus, max_length=7)),
                ('text_error', fields.CharField(default='', max_length=300)),
                ('page_count', fields.IntField(default=0)),
                ('source', fields.CharField(default='', description='Folder under kb_content when imported', max_length=300)),
                ('uploaded_by', fields.ForeignKeyField('accounts.User', source_field='uploaded_by_id', null=True, db_constraint=True, to_field='id', related_name='uploaded_documents', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'kb_document', 'app': 'kb', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DocumentPage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('document', fields.ForeignKeyField('kb.Document', source_field='document_id', db_constraint=True, to_field='id', related_name='pages', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('text', fields.TextField(unique=False)),
            ],
            options={'table': 'kb_document_page', 'app': 'kb', 'unique_together': (('document', 'number'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
