"""Who may read or change what in the knowledge base: the one place where audience rules live.

anonymous → public; a logged-in requester → public, customers and their own company's documents;
staff (technicians, editors, admins) → everything. Unpublished articles are only for editors.
"""

from tortoise.expressions import Q, Subquery

from app.accounts.models import Role, User
from app.kb.models import Article, ArticleVersion, Audience, Document

SHARED_IMAGES = "media"  # kb_content/faq/media: images several articles use


def is_editor(user: User | None) -> bool:
    return user is not None and user.has_role(Role.EDITOR)


def readable_audiences(user: User | None) -> tuple[Audience, ...]:
    """Audiences of articles and company-independent documents the user may read."""
    if user is None:
        return (Audience.PUBLIC,)
    if user.is_staff:
        return (Audience.PUBLIC, Audience.CUSTOMERS, Audience.STAFF)
    return (Audience.PUBLIC, Audience.CUSTOMERS)


def can_read_article(user: User | None, article: Article) -> bool:
    if not article.is_published and not is_editor(user):
        return False
    return is_editor(user) or article.audience in readable_audiences(user)


def readable_articles_filter(user: User | None) -> Q:
    """The same rule as `can_read_article`, for listings: published and of a readable audience."""
    if is_editor(user):
        return Q()
    return Q(published_number__isnull=False, audience__in=list(readable_audiences(user)))


async def can_see_faq_image(user: User | None, relative: str) -> bool:
    """`relative` is an image's path under kb_content/faq. An article's own image (`<lang>/<slug>/x.png`)
    follows that article's audience; a shared one (`media/x.png`) is shown to whoever may read an article
    whose shown text uses it. Editors see every image, as their previews may use any."""
    if is_editor(user):
        return True
    folders = relative.split("/")[:-1]
    if folders == [SHARED_IMAGES]:
        return await _shared_image_in_readable_article(user, relative)
    if len(folders) != 2:
        return False
    article = await Article.get_or_none(language=folders[0], slug=folders[1])
    return article is not None and can_read_article(user, article)


async def _shared_image_in_readable_article(user: User | None, relative: str) -> bool:
    readable = Subquery(Article.filter(readable_articles_filter(user)).values("id"))
    versions = ArticleVersion.filter(article_id__in=readable, body__contains=relative)
    return any(number == shown for number, shown in await versions.values_list("number", "article__published_number"))


def can_read_document(user: User | None, document: Document) -> bool:
    if user is not None and user.is_staff:
        return True
    if document.audience is Audience.COMPANY:
        return user is not None and user.company_id is not None and user.company_id == document.company_id
    return document.audience in readable_audiences(user)


def readable_documents_filter(user: User | None) -> Q:
    if user is not None and user.is_staff:
        return Q()
    allowed = Q(audience__in=list(readable_audiences(user)))
    if user is not None and user.company_id is not None:
        allowed |= Q(audience=Audience.COMPANY, company_id=user.company_id)
    return allowed


def can_manage_documents(user: User | None) -> bool:
    """Staff publish documents for any audience and company."""
    return user is not None and user.is_staff


def can_share_with_support(user: User | None) -> bool:
    """A requester with a company may upload files into that company's space."""
    return user is not None and not user.is_staff and user.company_id is not None


def can_delete_document(user: User | None, document: Document) -> bool:
    if can_manage_documents(user):
        return True
    return user is not None and document.uploaded_by_id == user.id and document.source == ""
