"""FAQ rules: write versions, publish and unpublish, restore, feedback, suggestions, browsing."""

import re
import secrets
import unicodedata
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.accounts.models import User, UserStatus
from app.i18n import N_
from app.kb.access import readable_articles_filter
from app.kb.frontmatter import LANGUAGES, SLUG_PATTERN
from app.kb.models import ARTICLE_AUDIENCES, Article, ArticleFeedback, ArticleVersion, Audience, Category
from app.mail.service import queue_mail
from app.searching.outbox import enqueue
from app.settings import Settings
from app.webhooks import events as webhooks

# Path words under /kb/ that are pages, not articles.
RESERVED_SLUGS = frozenset({"editor", "category", "tag", "suggest", "new", "print"})
READER_KEY = "kb_reader"  # session key of an anonymous reader's random id, for one vote per article version


class KbError(ValueError):
    """A rule refused the request; the message is an English msgid shown to the user translated."""


@dataclass(frozen=True)
class ArticleDraft:
    """What an editor (or a kb_content file) says an article is."""

    title: str
    slug: str
    language: str
    category_key: str
    audience: str
    body: str
    tags: list[str] = field(default_factory=list)
    translation_slug: str = ""
    related: list[str] = field(default_factory=list)
    note: str = ""


def split_list(text: str) -> list[str]:
    """Comma-separated words as typed in a form, without blanks and duplicates."""
    seen: dict[str, None] = {}
    for item in text.split(","):
        if item.strip():
            seen.setdefault(item.strip(), None)
    return list(seen)


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:80].strip("-") or "articolo"


async def _category(key: str) -> Category | None:
    return await Category.get_or_none(key=key) if key else None


async def check_draft(draft: ArticleDraft, article_id: int | None) -> Category | None:
    if not draft.title.strip():
        raise KbError(N_("Enter a title."))
    if not SLUG_PATTERN.match(draft.slug) or len(draft.slug) > 120 or draft.slug in RESERVED_SLUGS:
        raise KbError(N_("The address must be lowercase letters, digits and dashes, such as reset-password."))
    if await Article.filter(slug=draft.slug).exclude(id=article_id or 0).exists():
        raise KbError(N_("Another article already uses this address."))
    if draft.language not in LANGUAGES:
        raise KbError(N_("Choose the language of the article."))
    if draft.audience not in ARTICLE_AUDIENCES:
        raise KbError(N_("Choose who may read the article."))
    category = await _category(draft.category_key)
    if category is None:
        raise KbError(N_("Choose a category."))
    if not draft.body.strip():
        raise KbError(N_("Write the text of the article."))
    if draft.translation_slug and not SLUG_PATTERN.match(draft.translation_slug):
        raise KbError(N_("The translation must be the address of another article."))
    if not all(SLUG_PATTERN.match(slug) for slug in draft.related):
        raise KbError(N_("Related articles must be addresses of other articles, separated by commas."))
    return category


# What a version holds besides its text and a published article shows: copied to the article on publishing.
SHOWN_FIELDS = ("slug", "language", "category_id", "audience", "translation_slug", "related")


def _shown_values(draft: ArticleDraft, category: Category | None) -> dict[str, object]:
    """Everything readers will see of `draft` once published, as a version's columns."""
    return {
        "title": draft.title.strip(), "body": draft.body, "tags": list(draft.tags), "slug": draft.slug,
        "language": draft.language, "category_id": category.id if category else None,
        "audience": Audience(draft.audience), "translation_slug": draft.translation_slug,
        "related": list(draft.related),
    }


def _values_of(version: ArticleVersion) -> dict[str, object]:
    return {"title": version.title, "body": version.body, "tags": list(version.tags), "slug": version.slug,
            "language": version.language, "category_id": version.category_id,
            "audience": Audience(version.audience), "translation_slug": version.translation_slug,
            "related": list(version.related)}


async def current_version(article: Article) -> ArticleVersion | None:
    return await ArticleVersion.get_or_none(article_id=article.id, number=article.current_number)


async def published_version(article: Article) -> ArticleVersion | None:
    if article.published_number is None:
        return None
    return await ArticleVersion.get_or_none(article_id=article.id, number=article.published_number)


async def _add_version(article: Article, values: dict[str, object], author: User | None,
                       note: str) -> ArticleVersion:
    article.current_number += 1
    return await ArticleVersion.create(article=article, number=article.current_number, author=author,
                                       note=note[:300], **values)


def _show(article: Article, values: dict[str, object]) -> None:
    for name in SHOWN_FIELDS:
        setattr(article, name, values[name])


async def _check_address_free(article: Article, slug: str) -> None:
    if await Article.filter(slug=slug).exclude(id=article.id or 0).exists():
        raise KbError(N_("Another article already uses this address."))


async def _pending_slug_taken(slug: str, article_id: int | None) -> bool:
    """Whether another article's latest version, not yet published, claims `slug`."""
    rows = await (ArticleVersion.filter(slug=slug).exclude(article_id=article_id or 0)
                  .values_list("number", "article__current_number"))
    return any(number == current for number, current in rows)


async def save_article(draft: ArticleDraft, author: User | None, article: Article | None = None, *,
                       publish: bool = False, source: str | None = None) -> Article:
    """Create or change an article; any change readers would see becomes a new version, which readers see
    only once it is published: a saved draft leaves the published title, text, address and audience alone."""
    category = await check_draft(draft, article.id if article else None)
    if await _pending_slug_taken(draft.slug, article.id if article else None):
        raise KbError(N_("Another article already uses this address."))
    try:
        return await _write_article(draft, category, author, article, publish=publish, source=source)
    except IntegrityError:  # another editor took the same address a moment ago
        raise KbError(N_("Another article already uses this address.")) from None


async def _write_article(draft: ArticleDraft, category: Category | None, author: User | None, article: Article | None,
                         *, publish: bool, source: str | None) -> Article:
    values = _shown_values(draft, category)
    async with in_transaction():
        article = article or Article(current_number=0)
        previous = await current_version(article) if article.id else None
        if not article.is_published:  # nobody reads it yet: the article follows its latest version
            _show(article, values)
        if source is not None:
            article.source = source
        await article.save()
        if previous is None or _values_of(previous) != values:
            await _add_version(article, values, author, draft.note)
        if publish:
            await _publish_latest(article)
        await article.save()
        await enqueue("faq", article.id)
    return article


async def _publish_latest(article: Article) -> None:
    version = await current_version(article)
    if version is None:
        raise KbError(N_("This version does not exist."))
    await _check_address_free(article, version.slug)
    _show(article, _values_of(version))
    article.published_number, article.published_at = article.current_number, datetime.now(UTC)
    version.published_at = article.published_at
    await version.save(update_fields=["published_at"])
    await article.save()
    await webhooks.article_published(article, version)


async def publish(article: Article) -> None:
    """Readers now see the latest version: its text, address, audience and category at once."""
    try:
        async with in_transaction():
            await _publish_latest(article)
            await enqueue("faq", article.id)
    except IntegrityError:
        raise KbError(N_("Another article already uses this address.")) from None


async def moved_article(slug: str) -> Article | None:
    """The published article that was once published at `slug` and now lives elsewhere; None when `slug` is
    an article's current address or was never published."""
    if await Article.filter(slug=slug).exists():
        return None
    once_published = ArticleVersion.filter(slug=slug, published_at__isnull=False,
                                           article__published_number__isnull=False)
    earlier = await once_published.order_by("-published_at").first()
    return await Article.get(id=earlier.article_id).select_related("category") if earlier else None


async def unpublish(article: Article) -> None:
    async with in_transaction():
        article.published_number = None
        await article.save(update_fields=["published_number", "updated_at"])
        await enqueue("faq", article.id)


async def restore(article: Article, number: int, author: User | None) -> ArticleVersion:
    """Copy an old version as the newest one; readers keep the published version until it is published."""
    old = await ArticleVersion.get_or_none(article_id=article.id, number=number)
    if old is None:
        raise KbError(N_("This version does not exist."))
    values = _values_of(old)
    if not article.is_published:
        await _check_address_free(article, old.slug)
    async with in_transaction():
        version = await _add_version(article, values, author, f"↺ {number}")
        if not article.is_published:
            _show(article, values)
        await article.save()
        await enqueue("faq", article.id)
    return version


def reader_key(user: User | None, session: MutableMapping[str, Any]) -> str:
    """Who answers "was this helpful?": the user when logged in, else a random id kept in the session."""
    if user is not None:
        return f"user:{user.id}"
    token = session.get(READER_KEY)
    if not isinstance(token, str) or not token:
        token = session[READER_KEY] = secrets.token_urlsafe(16)
    return f"session:{token}"


async def record_feedback(article: Article, helpful: bool, comment: str, user: User | None,
                          reader: str) -> ArticleFeedback:
    """One answer per reader and published version: answering again changes the earlier answer."""
    version = await published_version(article)
    if version is None:
        raise KbError(N_("This article is not published."))
    changes: dict[str, object] = {"helpful": helpful, "user": user}
    if comment.strip():
        changes["comment"] = comment.strip()
    earlier = await ArticleFeedback.get_or_none(version_id=version.id, reader=reader)
    if earlier is None:
        try:
            return await ArticleFeedback.create(article=article, version=version, reader=reader, **changes)
        except IntegrityError:  # the same reader's other click landed first
            earlier = await ArticleFeedback.get(version_id=version.id, reader=reader)
    await earlier.update_from_dict(changes).save()
    return earlier


@dataclass(frozen=True)
class FeedbackCount:
    number: int
    helpful: int
    not_helpful: int


async def feedback_counts(article: Article) -> list[FeedbackCount]:
    """Yes and no answers per version, newest version first."""
    rows = await ArticleFeedback.filter(article_id=article.id).select_related("version")
    counts: dict[int, list[int]] = {}
    for row in rows:
        counts.setdefault(row.version.number, [0, 0])[0 if row.helpful else 1] += 1
    return [FeedbackCount(n, yes, no) for n, (yes, no) in sorted(counts.items(), reverse=True)]


async def feedback_comments(article: Article, limit: int = 20) -> list[ArticleFeedback]:
    return await (ArticleFeedback.filter(article_id=article.id).exclude(comment="")
                  .select_related("version").order_by("-id").limit(limit))


async def _free_slug(title: str) -> str:
    base = slugify(title)
    candidate, n = base, 2
    while candidate in RESERVED_SLUGS or await Article.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


async def suggest_article(settings: Settings, user: User, title: str, question: str) -> Article:
    """A requester's suggestion lands as an unpublished draft in the editors' queue, and each editor gets a mail."""
    if not title.strip() or not question.strip():
        raise KbError(N_("Write the question and a few words about it."))
    async with in_transaction():
        article = await Article.create(slug=await _free_slug(title), language=user.locale, suggested_by=user,
                                       audience=Audience.CUSTOMERS, current_number=0)
        values = {"title": title.strip(), "body": question.strip() + "\n", "tags": [],
                  "slug": article.slug, "language": article.language, "category_id": None,
                  "audience": article.audience, "translation_slug": "", "related": []}
        version = await _add_version(article, values, user, "")
        await article.save(update_fields=["current_number"])
        await _mail_editors_about(settings, article, version, user)
    return article


async def _mail_editors_about(settings: Settings, article: Article, version: ArticleVersion, author: User) -> None:
    """To every active editor; to the admins when the portal has no editor yet."""
    editors = await User.filter(is_editor=True, status=UserStatus.ACTIVE)
    recipients = editors or await User.filter(is_admin=True, status=UserStatus.ACTIVE)
    await author.fetch_related("company")
    link = f"{settings.base_url.rstrip('/')}/kb/editor/{article.id}"
    context = {"author": author, "suggestion": version, "link": link}
    for recipient in recipients:
        await queue_mail("kb_suggestion", recipient.email, recipient.locale, context)


async def editor_queue() -> dict[str, list[Article]]:
    """Suggestions, drafts never published, and published articles with newer unpublished versions."""
    unpublished = await Article.filter(published_number__isnull=True).order_by("-updated_at").select_related(
        "suggested_by")
    published = await Article.filter(published_number__isnull=False).order_by("-updated_at")
    return {
        "suggestions": [a for a in unpublished if a.suggested_by_id is not None],
        "drafts": [a for a in unpublished if a.suggested_by_id is None],
        "changed": [a for a in published if a.has_unpublished_changes],
    }


async def titles(articles: Iterable[Article], *, published: bool) -> dict[int, ArticleVersion]:
    """The published (or latest) version of each article, by article id, in one query."""
    wanted = {a.id: (a.published_number if published else a.current_number) for a in articles}
    rows = await ArticleVersion.filter(article_id__in=list(wanted))
    return {v.article_id: v for v in rows if wanted.get(v.article_id) == v.number}


async def readable_slugs(user: User | None) -> set[str]:
    return set(await Article.filter(readable_articles_filter(user)).values_list("slug", flat=True))


async def find_translation(article: Article, user: User | None) -> Article | None:
    """The other language version; one side naming the other is enough."""
    query = Article.filter(readable_articles_filter(user)).exclude(id=article.id)
    if article.translation_slug:
        found = await query.filter(slug=article.translation_slug).first()
        if found is not None:
            return found
    return await query.filter(translation_slug=article.slug).first()


def reader_language_first(articles: list[Article], language: str) -> list[Article]:
    return sorted(articles, key=lambda a: a.language != language)


@dataclass
class CategoryNode:
    category: Category
    children: list["CategoryNode"]
    count: int  # readable articles here and below


async def category_tree(user: User | None) -> list[CategoryNode]:
    categories = await Category.all().order_by("position")
    direct: dict[int, int] = {}
    listed = Article.filter(readable_articles_filter(user), published_number__isnull=False)
    for category_id in await listed.values_list("category_id", flat=True):
        if category_id is not None:
            direct[category_id] = direct.get(category_id, 0) + 1

    def build(parent_id: int | None) -> list[CategoryNode]:
        nodes = []
        for category in (c for c in categories if c.parent_id == parent_id):
            children = build(category.id)
            nodes.append(CategoryNode(category, children, direct.get(category.id, 0) + sum(c.count for c in children)))
        return nodes

    return build(None)


async def articles_in_category(user: User | None, category: Category) -> list[Article]:
    ids = [category.id, *await Category.filter(parent_id=category.id).values_list("id", flat=True)]
    return await Article.filter(readable_articles_filter(user), published_number__isnull=False, category_id__in=ids)


async def articles_with_tag(user: User | None, tag: str) -> list[Article]:
    articles = await Article.filter(readable_articles_filter(user), published_number__isnull=False)
    versions = await titles(articles, published=True)
    wanted = tag.casefold()
    return [a for a in articles if a.id in versions and wanted in (t.casefold() for t in versions[a.id].tags)]


async def popular_tags(user: User | None, limit: int = 30) -> list[tuple[str, int]]:
    articles = await Article.filter(readable_articles_filter(user), published_number__isnull=False)
    counts: dict[str, int] = {}
    for version in (await titles(articles, published=True)).values():
        for tag in version.tags:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
