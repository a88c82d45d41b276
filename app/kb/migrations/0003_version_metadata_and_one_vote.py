from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.kb.models import Audience
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.migrations.constraints import UniqueConstraint

# Versions written before they carried the metadata get the article's, and the published one its date.
_FROM_ARTICLE = "(SELECT a.{0} FROM kb_article a WHERE a.id = kb_article_version.article_id)"
COPY_ARTICLE_METADATA = "UPDATE kb_article_version SET " + ", ".join(
    f"{column} = {_FROM_ARTICLE.format(column)}"
    for column in ("slug", "language", "category_id", "audience", "translation_slug", "related")
)
DATE_PUBLISHED_VERSIONS = (
    "UPDATE kb_article_version SET published_at = (SELECT a.published_at FROM kb_article a "
    "WHERE a.id = kb_article_version.article_id) WHERE number = (SELECT a.published_number FROM kb_article a "
    "WHERE a.id = kb_article_version.article_id)"
)


class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('kb', '0002_article_source_ticket'), ('tickets', '0003_attachment_text')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ArticleFeedback',
            name='reader',
            field=fields.CharField(null=True, description='user:<id>, or session:<random id> for anonymous readers', max_length=40),
        ),
        ops.AddConstraint(
            model_name='ArticleFeedback',
            constraint=UniqueConstraint(fields=('version', 'reader'), name=None),
        ),
        ops.AddField(
            model_name='ArticleVersion',
            name='audience',
            field=fields.CharEnumField(default=Audience.PUBLIC, description='PUBLIC: public\nCUSTOMERS: customers\nCOMPANY: company\nSTAFF: staff', db_default=Audience.PUBLIC, enum_type=Audience, max_length=9),
        ),
        ops.AddField(
            model_name='ArticleVersion',
            name='category',
            field=fields.ForeignKeyField('kb.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='article_versions', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='ArticleVersion',
            name='language',
            field=fields.CharField(default='it', db_default='it', max_length=2),
        ),
        ops.AddField(
            model_name='ArticleVersion',
            name='published_at',
            field=fields.DatetimeField(null=True, description='Last time this version was published', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='ArticleVersion',
            name='related',
            field=fields.JSONField(default=list, db_default='[]', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='ArticleVersion',
            name='slug',
            field=fields.CharField(default='', description='Address once published', db_default='', max_length=120),
        ),
        ops.AddField(
            model_name='ArticleVersion',
            name='translation_slug',
            field=fields.CharField(default='', db_default='', max_length=120),
        ),
        ops.RunSQL(COPY_ARTICLE_METADATA, reverse_sql=ops.RunSQL.noop),
        ops.RunSQL(DATE_PUBLISHED_VERSIONS, reverse_sql=ops.RunSQL.noop),
    ]
