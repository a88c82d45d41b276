from pathlib import Path

from app.accounts.models import Company
from app.kb.content import KB_CONTENT
from app.kb.importer import import_kb
from app.kb.models import Article, ArticleVersion, Category, Document, DocumentPage, TextStatus
from app.kb.service import published_version
from app.settings import Settings
from tests.kb.support import article_file, outbox, write_kb


async def test_new_files_are_published_and_a_second_run_changes_nothing(db: None, settings: Settings,
                                                                          tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", {
        "faq/it/reimpostare-password.md": article_file("reimpostare-password", title="Reimpostare la password",
                                                       extra="translation_of: reset-password"),
        "faq/en/reset-password.md": article_file("reset-password", title="Reset the password", language="en"),
    })
    first = await import_kb(settings, root)
    assert sorted(first.added) == ["faq/en/reset-password.md", "faq/it/reimpostare-password.md"]
    article = await Article.get(slug="reimpostare-password").select_related("category")
    assert article.is_published and article.category.key == "accesso-credenziali"
    assert article.translation_slug == "reset-password" and article.source == "faq/it/reimpostare-password.md"
    assert (await published_version(article)).title == "Reimpostare la password"  # type: ignore[union-attr]
    assert await Category.filter(key="accesso-credenziali", parent__key="accesso").exists()
    queued = await outbox("faq")

    second = await import_kb(settings, root)
    assert (second.added, second.changed, second.removed, second.errors) == ([], [], [], [])
    assert sorted(second.unchanged) == sorted(first.added)
    assert await ArticleVersion.all().count() == 2 and await outbox("faq") == queued


async def test_a_changed_file_becomes_a_new_published_version(db: None, settings: Settings, tmp_path: Path) -> None:
    path = "faq/it/reimpostare-password.md"
    root = write_kb(tmp_path / "kb", {path: article_file("reimpostare-password", title="Vecchio titolo")})
    await import_kb(settings, root)
    write_kb(root, {path: article_file("reimpostare-password", title="Nuovo titolo", body="Testo nuovo.",
                                       extra="tags: [password, 730]")})
    report = await import_kb(settings, root)
    assert report.changed == [path] and report.added == []
    article = await Article.get(slug="reimpostare-password")
    assert (article.current_number, article.published_number) == (2, 2)
    version = await published_version(article)
    assert version is not None and (version.title, version.tags) == ("Nuovo titolo", ["password", "730"])
    assert version.body == "Testo nuovo.\n"


async def test_a_removed_file_unpublishes_its_article_and_keeps_history(db: None, settings: Settings,
                                                                         tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", {
        "faq/it/primo.md": article_file("primo", title="Primo"),
        "faq/it/secondo.md": article_file("secondo", title="Secondo"),
    })
    await import_kb(settings, root)
    (root / "faq/it/secondo.md").unlink()
    report = await import_kb(settings, root)
    assert report.removed == ["faq/it/secondo.md"] and report.unchanged == ["faq/it/primo.md"]
    gone = await Article.get(slug="secondo")
    assert not gone.is_published and await ArticleVersion.filter(article_id=gone.id).count() == 1
    assert str(gone.id) in await outbox("faq")
    again = await import_kb(settings, root)
    assert again.removed == []


async def test_broken_front_matter_is_reported_with_its_line_and_the_rest_imported(
    db: None, settings: Settings, tmp_path: Path
) -> None:
    root = write_kb(tmp_path / "kb", {
        "faq/it/buono.md": article_file("buono", title="Buono"),
        "faq/it/rotto.md": "---\ntitle: Rotto\nslug: rotto\ncategory: accesso\nlanguage: it\ntag: [x]\n---\nTesto\n",
        "faq/it/yaml-rotto.md": "---\ntitle: [non chiuso\nslug: yaml-rotto\n---\nTesto\n",
        "faq/it/nome-diverso.md": article_file("altro-nome", title="Nome diverso"),
        "faq/it/categoria.md": article_file("categoria", title="Categoria ignota", category="non-esiste"),
    })
    report = await import_kb(settings, root)
    assert report.added == ["faq/it/buono.md"]
    errors = "\n".join(report.errors)
    assert "faq/it/rotto.md:6: unknown key 'tag'" in errors
    assert "faq/it/yaml-rotto.md:3: invalid YAML" in errors
    assert "faq/it/nome-diverso.md:1: slug 'altro-nome' must equal the file name" in errors
    assert "faq/it/categoria.md:4: unknown category 'non-esiste'" in errors
    assert "categoria.md" in errors and len(report.errors) == 4
    assert await Article.all().values_list("slug", flat=True) == ["buono"]


async def test_the_demo_content_imports_faq_and_manuals_page_by_page(db: None, settings: Settings) -> None:
    report = await import_kb(settings, KB_CONTENT)
    assert report.errors == []
    assert await Article.filter(published_number__isnull=False).count() == len(list(KB_CONTENT.glob("faq/*/*.md")))
    manual = await Document.get(source="manuals/portale-clienti")
    assert manual.text_status is TextStatus.READY and manual.audience.value == "customers"
    pages = await DocumentPage.filter(document_id=manual.id).order_by("number")
    assert len(pages) == manual.page_count > 3 and all(page.text for page in pages)
    assert (await import_kb(settings, KB_CONTENT)).added == []
    assert await Document.all().count() == len(list(KB_CONTENT.glob("manuals/*/meta.yml")))


async def test_an_import_putting_back_a_manuals_audience_drops_the_company_set_by_hand(db: None,
                                                                                         settings: Settings) -> None:
    await import_kb(settings, KB_CONTENT)
    company = await Company.create(name="Comune di Valdora")
    await Document.filter(source="manuals/portale-clienti").update(audience="company", company_id=company.id)
    report = await import_kb(settings, KB_CONTENT)
    assert report.changed == ["manuals/portale-clienti"]
    manual = await Document.get(source="manuals/portale-clienti")
    assert (manual.audience.value, manual.company_id) == ("customers", None)
