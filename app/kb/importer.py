"""Import a kb_content folder: categories, FAQ files and PDF manuals. Running it twice changes nothing.

A file is new, changed or unchanged; an article imported before whose file is gone is unpublished
(its history stays); a file with broken front matter is reported with its line and skipped.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from tortoise.transactions import in_transaction

from app.kb import documents, service
from app.kb.frontmatter import FrontMatterError, ParsedArticle, iter_categories, load_categories, parse_article
from app.kb.models import Article, Audience, Category, Document, DocumentKind
from app.settings import Settings


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed, {len(self.unchanged)} unchanged, "
                f"{len(self.removed)} removed, {len(self.errors)} errors")


async def import_categories(root: Path) -> None:
    path = root / "categories.yml"
    if not path.exists():
        return
    tree = load_categories(path)
    async with in_transaction():
        by_key: dict[str, Category] = {}
        for position, item in enumerate(iter_categories(tree)):
            values = {"name_it": item.name_it, "name_en": item.name_en, "position": position,
                      "parent": by_key.get(item.parent) if item.parent else None}
            category, created = await Category.get_or_create(key=item.key, defaults=values)
            if not created:
                await category.update_from_dict(values).save()
            by_key[item.key] = category


def _article_files(root: Path) -> list[Path]:
    return sorted((root / "faq").glob("*/*.md"))


def _parse(path: Path, root: Path, category_keys: set[str]) -> ParsedArticle:
    relative = path.relative_to(root).as_posix()
    article = parse_article(path.read_text(encoding="utf-8"), relative, category_keys=category_keys)
    if article.slug != path.stem:
        raise FrontMatterError(relative, 1, f"slug '{article.slug}' must equal the file name '{path.stem}'")
    if article.language != path.parent.name:
        raise FrontMatterError(relative, 1, f"language '{article.language}' must equal the folder '{path.parent.name}'")
    if article.slug in service.RESERVED_SLUGS:
        raise FrontMatterError(relative, 1, f"slug '{article.slug}' is reserved for a portal page")
    return article


def _draft(parsed: ParsedArticle) -> service.ArticleDraft:
    return service.ArticleDraft(
        title=parsed.title, slug=parsed.slug, language=parsed.language, category_key=parsed.category,
        audience=parsed.audience, body=parsed.body, tags=list(parsed.tags),
        translation_slug=parsed.translation_of or "", related=list(parsed.related),
    )


async def _is_unchanged(article: Article, draft: service.ArticleDraft, source: str) -> bool:
    version = await service.current_version(article)
    category = await article.category if article.category_id else None
    return (
        version is not None and article.is_published and not article.has_unpublished_changes
        and (version.title, version.body, list(version.tags)) == (draft.title, draft.body, draft.tags)
        and (article.language, article.audience.value, article.translation_slug, list(article.related), article.source)
        == (draft.language, draft.audience, draft.translation_slug, draft.related, source)
        and (category.key if category else "") == draft.category_key
    )


async def import_articles(root: Path, report: ImportReport) -> None:
    category_keys = set(await Category.all().values_list("key", flat=True))
    seen: set[str] = set()
    for path in _article_files(root):
        try:
            parsed = _parse(path, root, category_keys)
        except (FrontMatterError, UnicodeDecodeError) as error:
            report.errors.append(str(error))
            continue
        source = path.relative_to(root).as_posix()
        seen.add(parsed.slug)
        draft = _draft(parsed)
        article = await Article.get_or_none(slug=parsed.slug)
        if article is not None and await _is_unchanged(article, draft, source):
            report.unchanged.append(source)
            continue
        try:
            await service.save_article(draft, None, article, publish=True, source=source)
        except service.KbError as error:
            report.errors.append(f"{source}:1: {error}")
            continue
        (report.added if article is None else report.changed).append(source)
    await _unpublish_removed(seen, report)


async def _unpublish_removed(seen: set[str], report: ImportReport) -> None:
    for article in await Article.exclude(source="").filter(published_number__isnull=False):
        if article.slug not in seen:
            await service.unpublish(article)
            report.removed.append(article.source)


def _manual_meta(folder: Path) -> documents.DocumentMeta:
    meta = yaml.safe_load((folder / "meta.yml").read_text(encoding="utf-8")) or {}
    language = meta.get("language", "it")
    return documents.DocumentMeta(
        title=str(meta.get(f"title_{language}") or meta.get("title_it") or folder.name),
        description=str(meta.get("description") or ""), kind=DocumentKind.MANUAL.value,
        category_key=str(meta.get("category") or ""), audience=str(meta.get("audience") or Audience.PUBLIC.value),
        language=language,
    )


async def import_manuals(settings: Settings, root: Path, report: ImportReport) -> None:
    for folder in sorted(p for p in (root / "manuals").glob("*") if p.is_dir()):
        source, pdf = f"manuals/{folder.name}", folder / f"{folder.name}.pdf"
        if not pdf.exists() or not (folder / "meta.yml").exists():
            report.errors.append(f"{source}: needs meta.yml and {pdf.name}")
            continue
        try:
            meta = _manual_meta(folder)
            Audience(meta.audience), DocumentKind(meta.kind)
        except (yaml.YAMLError, ValueError, AttributeError) as error:
            report.errors.append(f"{source}/meta.yml: {error}")
            continue
        document = await Document.get_or_none(source=source)
        if document is None:
            document = await documents.create_from_file(settings, meta, pdf, source)
            report.added.append(source)
        elif document.sha256 != documents.file_sha256(pdf) or not _same_meta(document, meta):
            await documents.replace_file(settings, document, pdf)
            await _apply_meta(document, meta)
            report.changed.append(source)
        else:
            report.unchanged.append(source)
            continue
        await documents.extract_text(settings, document)


def _same_meta(document: Document, meta: documents.DocumentMeta) -> bool:
    return (document.title, document.description, document.audience.value, document.language) == (
        meta.title, meta.description, meta.audience, meta.language)


async def _apply_meta(document: Document, meta: documents.DocumentMeta) -> None:
    document.title, document.description = meta.title, meta.description
    document.audience, document.language = Audience(meta.audience), meta.language
    if document.audience is not Audience.COMPANY:
        document.company = None  # one staff may have set by hand: it means nothing for another audience
    document.category = await Category.get_or_none(key=meta.category_key) if meta.category_key else None
    await document.save()


async def import_kb(settings: Settings, root: Path) -> ImportReport:
    report = ImportReport()
    try:
        await import_categories(root)
    except FrontMatterError as error:
        report.errors.append(str(error))
        return report
    await import_articles(root, report)
    await import_manuals(settings, root, report)
    return report
