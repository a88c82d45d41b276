"""The upgrade that moves what readers see into versions and counts one vote per reader: existing versions get
their article's address, audience and category, the published one its date, and old votes all stay."""

from pathlib import Path

from tortoise import connections

from app.kb import service
from app.kb.models import Article, ArticleFeedback, ArticleVersion, Audience
from app.settings import Settings
from tests.kb.support import make_article
from tests.tickets.test_attachment_text_upgrade import connected, migrate_to, own_database

BEFORE = "kb.0002_article_source_ticket"
__all__ = ["own_database"]  # the fixture, shared with the tickets upgrade test


async def test_the_upgrade_copies_article_metadata_into_versions_and_keeps_votes(own_database: Settings,
                                                                                 tmp_path: Path) -> None:
    settings = own_database
    await migrate_to(settings)
    async with connected(settings):
        article = await make_article("orari", "Orari dello sportello", audience="customers", category="assistenza")
        await service.save_article(service.ArticleDraft("Orari nuovi", "orari", "it", "assistenza", "customers",
                                                        "Nuovo testo."), None, article)
        published = await ArticleVersion.get(article_id=article.id, number=1)

    await migrate_to(settings, BEFORE)  # as an older release left them: metadata only on the article
    async with connected(settings):  # two votes of one reader, as the older release counted them
        for _ in range(2):
            await connections.get("default").execute_query(
                "INSERT INTO kb_article_feedback (article_id, version_id, helpful, comment, created_at) "
                "VALUES ($1, $2, $3, '', CURRENT_TIMESTAMP)" if settings.db_url.startswith("postgres") else
                "INSERT INTO kb_article_feedback (article_id, version_id, helpful, comment, created_at) "
                "VALUES (?, ?, ?, '', CURRENT_TIMESTAMP)", [article.id, published.id, True])
    await migrate_to(settings)

    async with connected(settings):
        versions = await ArticleVersion.filter(article_id=article.id).select_related("category").order_by("number")
        stored = await Article.get(id=article.id)
        votes = await ArticleFeedback.filter(article_id=article.id).order_by("id")
    assert [(v.slug, Audience(v.audience), v.category.key, v.language) for v in versions] == [
        ("orari", Audience.CUSTOMERS, "assistenza", "it")] * 2
    assert versions[0].published_at is not None and versions[1].published_at is None
    assert stored.published_number == 1
    assert [v.reader for v in votes] == [None, None]  # older votes are kept, each on its own
