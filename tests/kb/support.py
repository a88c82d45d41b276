"""Knowledge-base test data: categories, articles in every state, uploaded documents, a small kb_content folder."""

from pathlib import Path
from textwrap import dedent

import httpx

from app.accounts.models import User
from app.kb import service
from app.kb.models import Article, Category
from app.searching.models import IndexTask
from app.settings import Settings
from tests.support import log_in, make_user

CATEGORIES_YML = """\
- key: accesso
  name_it: Accesso al portale
  name_en: Portal access
  children:
    - key: accesso-credenziali
      name_it: Credenziali e password
      name_en: Credentials and passwords
- key: assistenza
  name_it: Ticket e assistenza
  name_en: Tickets and support
"""


async def make_categories() -> None:
    parent = await Category.create(key="accesso", name_it="Accesso al portale", name_en="Portal access", position=0)
    await Category.create(key="accesso-credenziali", name_it="Credenziali e password",
                          name_en="Credentials and passwords", parent=parent, position=1)
    await Category.create(key="assistenza", name_it="Ticket e assistenza", name_en="Tickets and support", position=2)


async def make_article(slug: str, title: str = "", body: str = "Testo dell'articolo.\n", *, audience: str = "public",
                       language: str = "it", category: str = "accesso-credenziali", tags: list[str] | None = None,
                       published: bool = True, translation: str = "", author: User | None = None) -> Article:
    if not await Category.exists(key=category):
        await make_categories()
    draft = service.ArticleDraft(title=title or slug.replace("-", " ").capitalize(), slug=slug, language=language,
                                 category_key=category, audience=audience, body=body, tags=tags or [],
                                 translation_slug=translation)
    return await service.save_article(draft, author, publish=published)


async def outbox(source: str) -> list[str]:
    return list(await IndexTask.filter(source=source).order_by("id").values_list("object_id", flat=True))


def article_file(slug: str, *, title: str, language: str = "it", category: str = "accesso-credenziali",
                 audience: str = "public", body: str = "Testo.", extra: str = "") -> str:
    return dedent(f"""\
        ---
        title: {title}
        slug: {slug}
        category: {category}
        language: {language}
        audience: {audience}
        {extra}
        ---
        """).replace("\n\n---", "\n---") + body + "\n"


def write_kb(root: Path, files: dict[str, str]) -> Path:
    """A kb_content-shaped folder: categories.yml plus faq/<lang>/<slug>.md files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "categories.yml").write_text(CATEGORIES_YML, encoding="utf-8")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


PDF = "application/pdf"


async def staff(client: httpx.AsyncClient) -> None:
    await make_user("redattrice@sportello.it", is_editor=True)
    await log_in(client, "redattrice@sportello.it")


def stored_files(settings: Settings) -> list[str]:
    folder = settings.data_dir / "documents"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


async def upload(client: httpx.AsyncClient, data: bytes, name: str = "manuale.pdf", **fields: str) -> httpx.Response:
    values = {"title": "Manuale del portale", "kind": "manual", "audience": "public", **fields}
    return await client.post("/documents/new", data=values, files={"file": (name, data, PDF)})
