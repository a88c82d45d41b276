"""FAQ pages: browse by category and tag, read, print, give feedback, suggest; the editors' queue and editor."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute

from app import ratelimit
from app.auth import current_user, require_user
from app.forms import InvalidInput, parse, parse_query, typed
from app.i18n import _, get_locale
from app.insights.service import search_that_opened
from app.kb import listing, service
from app.kb.access import can_see_faq_image
from app.kb.content import FAQ_DIR, faq_file, render_article
from app.kb.diff import diff_rows
from app.kb.document_routes import routes as document_routes
from app.kb.models import ARTICLE_AUDIENCES, AUDIENCE_LABELS, Article, ArticleVersion, Audience, Category
from app.kb.forms import DiffQuery, EditorForm, EditorQuery, FeedbackForm, PreviewForm, PublishForm, RestoreForm, \
    SuggestForm
from app.web import app_settings, flash, read_form, redirect, render
from app.permissions import Action, allowed
from app.routing import route


async def _readable_article(request: Request) -> Article:
    article = await Article.get_or_none(slug=request.path_params["slug"]).select_related("category")
    if article is None or not allowed(current_user(request), Action.READ_ARTICLE, article):
        raise HTTPException(status_code=404)
    return article


async def _shown_version(request: Request, article: Article) -> ArticleVersion:
    """Readers see the published text; editors also see drafts that were never published."""
    version = await service.published_version(article)
    if version is None and allowed(current_user(request), Action.EDIT_KB):
        version = await service.current_version(article)
    if version is None:
        raise HTTPException(status_code=404)
    return version


async def _article_context(request: Request, article: Article) -> dict[str, object]:
    user = current_user(request)
    version = await _shown_version(request, article)
    rendered = render_article(version.body, article.language, article.slug, await service.readable_slugs(user))
    related = await Article.filter(slug__in=list(article.related)).all()
    related = [a for a in related if allowed(user, Action.READ_ARTICLE, a) and a.is_published]
    titles = await service.titles([*related], published=True)
    translation = await service.find_translation(article, user)
    translation_titles = await service.titles([translation], published=True) if translation else {}
    return {
        "article": article, "version": version, "html": rendered.html, "headings": rendered.headings,
        "related": [(a, titles[a.id]) for a in related if a.id in titles], "translation": translation,
        "translation_title": translation_titles.get(translation.id) if translation else None, "category": article.category, "can_edit": allowed(user, Action.EDIT_KB),
    }


async def kb_index(request: Request) -> Response:
    user = current_user(request)
    return render(request, "kb/index.html", {
        "tree": await service.category_tree(user), "tags": await service.popular_tags(user),
        "can_edit": allowed(user, Action.EDIT_KB),
    })


async def _listing(request: Request, articles: list[Article]) -> list[tuple[Article, ArticleVersion]]:
    versions = await service.titles(articles, published=True)
    ordered = service.reader_language_first(sorted(articles, key=lambda a: versions[a.id].title.casefold()
                                                   if a.id in versions else ""), get_locale())
    return [(a, versions[a.id]) for a in ordered if a.id in versions]


async def kb_category(request: Request) -> Response:
    category = await Category.get_or_none(key=request.path_params["key"]).select_related("parent")
    if category is None:
        raise HTTPException(status_code=404)
    user = current_user(request)
    articles = await service.articles_in_category(user, category)
    children = await Category.filter(parent_id=category.id).order_by("position")
    return render(request, "kb/category.html", {
        "category": category, "children": children, "items": await _listing(request, articles),
        "audience_labels": AUDIENCE_LABELS,
    })


async def kb_tag(request: Request) -> Response:
    tag = request.path_params["tag"]
    articles = await service.articles_with_tag(current_user(request), tag)
    return render(request, "kb/tag.html", {"tag": tag, "items": await _listing(request, articles),
                                               "audience_labels": AUDIENCE_LABELS})


async def kb_article(request: Request) -> Response:
    moved = await service.moved_article(request.path_params["slug"])
    if moved is not None and allowed(current_user(request), Action.READ_ARTICLE, moved):
        return RedirectResponse(f"/kb/{moved.slug}", status_code=301)
    article = await _readable_article(request)
    context = await _article_context(request, article)
    context["solved_event"] = search_that_opened(request.session, f"faq:{article.id}")
    if allowed(current_user(request), Action.EDIT_KB):
        context["feedback"] = await service.feedback_counts(article)
    return render(request, "kb/article.html", context)


async def kb_print(request: Request) -> Response:
    article = await _readable_article(request)
    return render(request, "kb/print.html", await _article_context(request, article))


async def kb_feedback(request: Request) -> Response:
    await ratelimit.enforce_per_client(request, ratelimit.FEEDBACK, "kb-feedback")
    article = await _readable_article(request)
    try:
        posted = parse(FeedbackForm, await read_form(request))
    except InvalidInput:
        raise HTTPException(status_code=400, detail=_("Answer yes or no.")) from None
    try:
        user = current_user(request)
        await service.record_feedback(article, posted.helpful == "yes", posted.comment, user,
                                      service.reader_key(user, request.session))
    except service.KbError as error:
        raise HTTPException(status_code=404, detail=_(str(error))) from None
    if request.headers.get("HX-Request"):
        return render(request, "kb/_feedback_thanks.html")
    flash(request, _("Thank you for your feedback."), "success")
    return redirect(f"/kb/{article.slug}#feedback")


async def kb_file(request: Request) -> Response:
    """Images of the FAQ, and nothing else: only files inside kb_content/faq with an image suffix, each
    for those who may read an article showing it."""
    path = faq_file(request.path_params["path"])
    relative = path.relative_to(FAQ_DIR.resolve()).as_posix() if path else ""
    if path is None or not await can_see_faq_image(current_user(request), relative):
        raise HTTPException(status_code=404)
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}
    return FileResponse(path, headers=headers)


async def kb_suggest(request: Request) -> Response:
    user = require_user(request)
    if request.method != "POST":
        return render(request, "kb/suggest.html", {"form": {}})
    form = await read_form(request)
    values = typed(SuggestForm, form)
    try:
        posted = parse(SuggestForm, form)
        await service.suggest_article(app_settings(request), user, posted.title, posted.question)
    except (InvalidInput, service.KbError) as error:
        return render(request, "kb/suggest.html", {"form": values, "error": _(str(error))}, status_code=400)
    flash(request, _("Thank you: the editors will consider your suggestion."), "success")
    return redirect("/kb")


# --- editors -------------------------------------------------------------------------------------------------


async def _editable(request: Request) -> Article:
    article = await Article.get_or_none(id=request.path_params["article_id"]).select_related("category",
                                                                                            "suggested_by")
    if article is None:
        raise HTTPException(status_code=404)
    return article


async def editor_queue(request: Request) -> Response:
    queue = await service.editor_queue()
    everything = [a for group in queue.values() for a in group]
    return render(request, "kb/editor_queue.html", {
        "queue": queue, "titles": await service.titles(everything, published=False),
    })


async def editor_articles(request: Request) -> Response:
    """Every article, published or draft, for editors: filter, search, sort, page, then edit."""
    page = await listing.editor_articles(listing.ArticleFilters.from_query(request.query_params))
    return render(request, "kb/editor_articles.html", {
        "page": page, "f": page.filters, "categories": await Category.all().order_by("position"),
        "audience_labels": AUDIENCE_LABELS, "audiences": ARTICLE_AUDIENCES, "statuses": listing.STATUSES,
    })


def _draft_from(form: EditorForm) -> service.ArticleDraft:
    return service.ArticleDraft(
        title=form.title, slug=form.slug or service.slugify(form.title), language=form.language,
        category_key=form.category, audience=form.audience, body=form.body.replace("\r\n", "\n"),
        tags=service.split_list(form.tags), translation_slug=form.translation_slug,
        related=service.split_list(form.related), note=form.note,
    )


async def _editor_context(article: Article | None, draft: service.ArticleDraft) -> dict[str, object]:
    return {
        "article": article, "draft": draft, "categories": await Category.all().order_by("position"),
        "audiences": [(a.value, AUDIENCE_LABELS[a]) for a in ARTICLE_AUDIENCES],
    }


async def _draft_of(article: Article) -> service.ArticleDraft:
    """The latest version with its pending address, audience and category: what publishing would show."""
    version = await service.current_version(article)
    if version is None:
        return service.ArticleDraft("", article.slug, article.language, "", article.audience.value, "")
    category = await Category.get_or_none(id=version.category_id) if version.category_id else None
    return service.ArticleDraft(
        title=version.title, slug=version.slug or article.slug, language=version.language,
        category_key=category.key if category else "", audience=Audience(version.audience).value,
        body=version.body, tags=list(version.tags), translation_slug=version.translation_slug,
        related=list(version.related),
    )


async def editor_form(request: Request) -> Response:
    article = await _editable(request) if "article_id" in request.path_params else None
    if request.method != "POST":
        # ?title= comes from the search report: "write an FAQ" about a query nobody found an answer to
        draft = await _draft_of(article) if article else service.ArticleDraft(
            parse_query(EditorQuery, request.query_params).title, "", get_locale(), "", "public", "")
        return render(request, "kb/editor_form.html", await _editor_context(article, draft))
    form = await read_form(request)
    draft = _draft_from(EditorForm.model_construct(**typed(EditorForm, form)))  # shown again as typed if refused
    try:
        posted = parse(EditorForm, form)
        draft = _draft_from(posted)
        saved = await service.save_article(draft, require_user(request), article, publish=posted.action == "publish")
    except (InvalidInput, service.KbError) as error:
        context = {**await _editor_context(article, draft), "error": _(str(error))}
        return render(request, "kb/editor_form.html", context, status_code=400)
    flash(request, _("Article published.") if posted.action == "publish" else _("Draft saved."), "success")
    return redirect(f"/kb/editor/{saved.id}")


async def editor_preview(request: Request) -> Response:
    posted = parse(PreviewForm, await read_form(request))
    rendered = render_article(posted.body, posted.language or get_locale(), posted.slug or "preview",
                              await service.readable_slugs(current_user(request)))
    return render(request, "kb/_preview.html", {"html": rendered.html, "title": posted.title})


async def editor_publish(request: Request) -> Response:
    article = await _editable(request)
    if parse(PublishForm, await read_form(request)).unpublish:
        await service.unpublish(article)
        flash(request, _("The article is no longer published."), "success")
    else:
        try:
            await service.publish(article)
        except service.KbError as error:
            flash(request, _(str(error)), "error")
            return redirect(f"/kb/editor/{article.id}")
        flash(request, _("Article published."), "success")
    return redirect(f"/kb/editor/{article.id}")


async def editor_history(request: Request) -> Response:
    article = await _editable(request)
    versions = await (ArticleVersion.filter(article_id=article.id).select_related("author", "category")
                      .order_by("-number"))
    counts = {c.number: c for c in await service.feedback_counts(article)}
    return render(request, "kb/editor_history.html", {
        "article": article, "versions": versions, "counts": counts,
        "comments": await service.feedback_comments(article), "audience_labels": AUDIENCE_LABELS,
    })


async def editor_diff(request: Request) -> Response:
    article = await _editable(request)
    numbers = parse_query(DiffQuery, request.query_params)
    old = await ArticleVersion.get_or_none(article_id=article.id, number=numbers.old) if numbers.old else None
    new = await ArticleVersion.get_or_none(article_id=article.id, number=numbers.new) if numbers.new else None
    if old is None or new is None:
        raise HTTPException(status_code=404)
    return render(request, "kb/editor_diff.html", {
        "article": article, "old": old, "new": new, "rows": diff_rows(old.body, new.body),
        "tags_changed": list(old.tags) != list(new.tags),
    })


async def editor_restore(request: Request) -> Response:
    article = await _editable(request)
    number = parse(RestoreForm, await read_form(request)).number
    try:
        await service.restore(article, number, require_user(request))
    except service.KbError as error:
        raise HTTPException(status_code=404, detail=_(str(error))) from None
    flash(request, _("Version %(number)s restored as a draft: publish it when ready.", number=number), "success")
    return redirect(f"/kb/editor/{article.id}")


routes: list[BaseRoute] = [
    route("/kb", kb_index, Action.BROWSE),
    route("/kb/suggest", kb_suggest, Action.SUGGEST_ARTICLE, methods=["GET", "POST"]),
    route("/kb/category/{key}", kb_category, Action.BROWSE),
    route("/kb/tag/{tag}", kb_tag, Action.BROWSE),
    route("/kb/editor", editor_queue, Action.EDIT_KB),
    route("/kb/editor/articles", editor_articles, Action.EDIT_KB),
    route("/kb/editor/new", editor_form, Action.EDIT_KB, methods=["GET", "POST"]),
    route("/kb/editor/preview", editor_preview, Action.EDIT_KB, methods=["POST"]),
    route("/kb/editor/{article_id:id}", editor_form, Action.EDIT_KB, methods=["GET", "POST"]),
    route("/kb/editor/{article_id:id}/publish", editor_publish, Action.EDIT_KB, methods=["POST"]),
    route("/kb/editor/{article_id:id}/history", editor_history, Action.EDIT_KB),
    route("/kb/editor/{article_id:id}/diff", editor_diff, Action.EDIT_KB),
    route("/kb/editor/{article_id:id}/restore", editor_restore, Action.EDIT_KB, methods=["POST"]),
    route("/kb/{slug}", kb_article, Action.BROWSE),
    route("/kb/{slug}/print", kb_print, Action.BROWSE),
    route("/kb/{slug}/feedback", kb_feedback, Action.BROWSE, methods=["POST"]),
    route("/kb-files/{path:path}", kb_file, Action.BROWSE),
    *document_routes,
]
