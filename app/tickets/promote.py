"""A solved ticket becomes an FAQ draft: question and solution prefilled without personal data, the draft
waits in the editors' queue, and the ticket and the article point at each other."""

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.accounts.models import Company, User
from app.auth import require_user
from app.forms import InvalidInput, parse, typed
from app.i18n import N_, _, translate
from app.kb import service as kb
from app.kb.frontmatter import LANGUAGES
from app.kb.models import ARTICLE_AUDIENCES, AUDIENCE_LABELS, Article, Audience, Category
from app.kb.scrub import PersonalData, scrub
from app.tickets.access import ticket_for
from app.tickets.models import Comment, Ticket
from app.tickets.workflow import Status
from app.tickets.forms import PromoteForm
from app.web import flash, read_form, redirect, render
from app.permissions import Action, allowed
from app.routing import route

PROMOTABLE: frozenset[Status] = frozenset({Status.RISOLTO, Status.CHIUSO})
NOT_SOLVED = N_("Only a solved or closed ticket can become an FAQ.")
NO_SOLUTION = N_("Write the solution: it is the answer of the FAQ.")
SOLUTION_HEADING = N_("Solution")


class PromoteError(ValueError):
    """The ticket cannot be promoted now; the message is an English msgid."""


@dataclass(frozen=True)
class PromotedFaq:
    """The article a ticket became, as the ticket page shows it; `url` is None where the viewer cannot open it
    (a draft, for a technician who is not an editor)."""

    article: Article
    title: str
    url: str | None


def is_promotable(ticket: Ticket) -> bool:
    return ticket.status in PROMOTABLE


def article_language(ticket: Ticket) -> str:
    locale = ticket.requester.locale
    return locale if locale in LANGUAGES else "it"


async def personal_data(ticket: Ticket) -> PersonalData:
    """The people of the ticket (requester, staff on it, every commenter) and their companies."""
    ids = {ticket.requester_id, ticket.opened_by_id, ticket.assignee_id, ticket.taken_by_id}
    ids |= set(await Comment.filter(ticket_id=ticket.id).values_list("author_id", flat=True))
    people = await User.filter(id__in=[i for i in ids if i is not None])
    company_ids = {p.company_id for p in people} | {ticket.company_id}
    companies = await Company.filter(id__in=[i for i in company_ids if i is not None])
    return PersonalData(
        names=tuple(p.full_name for p in people),
        companies=tuple(c.name for c in companies),
        phones=tuple(v for p in people for v in (p.phone, p.mobile) if v) + tuple(c.phone for c in companies if c.phone),
        codes=tuple(v for c in companies for v in (c.vat_number, c.fiscal_code) if v),
    )


def compose_body(question: str, resolution: str, language: str) -> str:
    """The article in Markdown: the question, then the solution under a heading in the article's language."""
    return f"{question.strip()}\n\n## {translate(SOLUTION_HEADING, language)}\n\n{resolution.strip()}\n"


async def prefilled(ticket: Ticket) -> PromoteForm:
    language = article_language(ticket)
    data = await personal_data(ticket)
    return PromoteForm.model_construct(  # our own values, not typed ones: shown, then validated when posted
        title=scrub(ticket.title, data, language), question=scrub(ticket.description, data, language),
        resolution=scrub(ticket.resolution, data, language), language=language,
    )


async def promoted(ticket: Ticket, viewer: User) -> PromotedFaq | None:
    article = await Article.get_or_none(source_ticket_id=ticket.id)
    if article is None:
        return None
    version = await kb.current_version(article)
    url = f"/kb/editor/{article.id}" if allowed(viewer, Action.EDIT_KB) else (f"/kb/{article.slug}" if article.is_published else None)
    return PromotedFaq(article, version.title if version else article.slug, url)


async def free_slug(title: str) -> str:
    base = kb.slugify(title)
    candidate, n = base, 2
    while candidate in kb.RESERVED_SLUGS or await Article.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


async def promote(user: User, ticket: Ticket, form: PromoteForm) -> tuple[Article, bool]:
    """The FAQ draft of `ticket` and whether it was created now; a second promotion returns the first draft.
    What the promoter typed is scrubbed again: the rule holds whatever was edited in the form."""
    if not is_promotable(ticket):
        raise PromoteError(NOT_SOLVED)
    existing = await Article.get_or_none(source_ticket_id=ticket.id)
    if existing is not None:
        return existing, False
    if not form.resolution.strip():
        raise PromoteError(NO_SOLUTION)
    language = form.language if form.language in LANGUAGES else article_language(ticket)
    audience = (form.audience or Audience.CUSTOMERS).value
    data = await personal_data(ticket)
    title = scrub(form.title, data, language).strip()
    body = compose_body(scrub(form.question, data, language), scrub(form.resolution, data, language), language)
    draft = kb.ArticleDraft(
        title=title, slug=await free_slug(title), language=language, category_key=form.category_key,
        audience=audience, body=body, note=ticket.code,
    )
    try:
        async with in_transaction():
            article = await kb.save_article(draft, user)
            await Article.filter(id=article.id).update(source_ticket_id=ticket.id)
    except (IntegrityError, kb.KbError):
        # Promoted a moment ago by someone else: the one-to-one link (or the same address) refused a second.
        existing = await Article.get_or_none(source_ticket_id=ticket.id)
        if existing is None:
            raise
        return existing, False
    article.source_ticket_id = ticket.id
    return article, True


# ---- pages ----

async def _page_context(ticket: Ticket, form: PromoteForm) -> dict[str, object]:
    return {
        "ticket": ticket, "form": form, "categories": await Category.all().order_by("position"),
        "audiences": [(a.value, AUDIENCE_LABELS[a]) for a in ARTICLE_AUDIENCES],
    }


def _open(request: Request, user: User, article: Article, ticket: Ticket, message: str) -> Response:
    """Editors go on to the draft in the editor; technicians back to the ticket, which links it."""
    flash(request, message, "success")
    return redirect(f"/kb/editor/{article.id}" if allowed(user, Action.EDIT_KB) else f"/tickets/{ticket.code}#faq")


async def promote_page(request: Request) -> Response:
    user = require_user(request)
    ticket = await ticket_for(user, request.path_params["ref"])
    existing = await Article.get_or_none(source_ticket_id=ticket.id)
    if existing is not None:
        return _open(request, user, existing, ticket, _("This ticket already has an FAQ: here it is."))
    if not is_promotable(ticket):
        flash(request, _(NOT_SOLVED), "error")
        return redirect(f"/tickets/{ticket.code}")
    if request.method != "POST":
        return render(request, "tickets/promote.html", await _page_context(ticket, await prefilled(ticket)))
    form = await read_form(request)
    try:
        article, created = await promote(user, ticket, parse(PromoteForm, form))
    except (InvalidInput, PromoteError, kb.KbError) as error:
        context = {**await _page_context(ticket, typed(PromoteForm, form)), "error": _(str(error))}
        return render(request, "tickets/promote.html", context, status_code=400)
    message = _("FAQ draft created: it waits in the editors' queue.") if created else _(
        "This ticket already has an FAQ: here it is.")
    return _open(request, user, article, ticket, message)


routes = [route("/tickets/{ref}/promote", promote_page, Action.PROMOTE_TICKET, methods=["GET", "POST"])]
