from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.kb.frontmatter import (
    FrontMatterError,
    ParsedArticle,
    iter_categories,
    load_categories,
    parse_article,
)

CONTENT = Path(__file__).resolve().parents[2] / "kb_content"

VALID = """---
title: Come reimpostare la password
slug: reimpostare-password
category: accesso
tags: [password, login]
language: it
translation_of: reset-password
related:
  - accesso-spid
---
# Passi

1. Apri **Password dimenticata**.
"""


def test_parses_all_fields_and_body() -> None:
    article = parse_article(VALID, "faq/it/reimpostare-password.md")
    assert article == ParsedArticle(
        source="faq/it/reimpostare-password.md",
        title="Come reimpostare la password",
        slug="reimpostare-password",
        category="accesso",
        language="it",
        body="# Passi\n\n1. Apri **Password dimenticata**.\n",
        body_line=11,
        tags=["password", "login"],
        audience="public",
        translation_of="reset-password",
        related=["accesso-spid"],
    )


def test_optional_fields_default() -> None:
    article = parse_article("---\ntitle: T\nslug: t\ncategory: c\nlanguage: en\n---\nBody\n", "t.md")
    assert (article.audience, article.tags, article.related, article.translation_of) == ("public", [], [], None)


def test_byte_order_mark_and_crlf_are_accepted() -> None:
    article = parse_article("\ufeff" + VALID.replace("\n", "\r\n"), "windows.md")
    assert (article.slug, article.body) == ("reimpostare-password", "# Passi\n\n1. Apri **Password dimenticata**.\n")


def test_numeric_tags_become_text() -> None:
    article = parse_article(VALID.replace("[password, login]", "[730, cu, 2026]"), "x.md")
    assert article.tags == ["730", "cu", "2026"]


def error_of(text: str, **kwargs: object) -> FrontMatterError:
    with pytest.raises(FrontMatterError) as caught:
        parse_article(text, "faq/it/x.md", **kwargs)  # type: ignore[arg-type]
    assert caught.value.source == "faq/it/x.md"
    return caught.value


def test_missing_opening_fence_is_line_1() -> None:
    error = error_of("title: x\n")
    assert (error.line, error.message) == (1, "front matter must start with '---' on the first line")


def test_unclosed_front_matter() -> None:
    assert "not closed" in error_of("---\ntitle: x\n").message


def test_yaml_syntax_error_reports_its_file_line() -> None:
    error = error_of("---\ntitle: ok\nslug: ok\ntags: [a, b\ncategory: c\n---\n")
    assert error.line in (5, 6)
    assert error.message.startswith("invalid YAML")
    assert str(error).startswith(f"faq/it/x.md:{error.line}: ")


def test_bad_indentation_line() -> None:
    error = error_of("---\ntitle: ok\n  slug: bad: value\n---\n")
    assert error.line == 3


def test_missing_required_key_points_at_front_matter_start() -> None:
    error = error_of("---\ntitle: T\nslug: t\nlanguage: it\n---\n")
    assert (error.line, error.message) == (1, "missing required key 'category'")


@pytest.mark.parametrize(
    ("line", "replacement", "expected_line", "fragment"),
    [
        ("slug: reimpostare-password", "slug: Reimpostare_Password", 3, "is not a slug"),
        ("language: it", "language: fr", 6, "must be one of it, en"),
        ("tags: [password, login]", "tags: password", 5, "must be a list"),
        ("tags: [password, login]", "tags: [password, yes]", 5, "must be a list"),
        ("translation_of: reset-password", "translation_of: Reset Password", 7, "is not a slug"),
        ("  - accesso-spid", "  - Accesso SPID", 8, "is not a slug"),
        ("category: accesso", "category: accesso\naudience: everyone", 5, "must be one of public"),
        ("category: accesso", "category: accesso\nauthor: me", 5, "unknown key 'author'"),
        ("title: Come reimpostare la password", "title: ''", 2, "non-empty string"),
    ],
)
def test_invalid_field_reports_line_of_its_key(
    line: str, replacement: str, expected_line: int, fragment: str
) -> None:
    error = error_of(VALID.replace(line, replacement, 1))
    assert error.line == expected_line
    assert fragment in error.message


def test_unknown_category_when_keys_given() -> None:
    error = error_of(VALID, category_keys={"ticket"})
    assert (error.line, error.message) == (4, "unknown category 'accesso'")


@given(st.text(max_size=200))
def test_arbitrary_text_parses_or_raises_front_matter_error(text: str) -> None:
    try:
        article = parse_article(text, "fuzz.md")
    except FrontMatterError as error:
        assert error.line >= 1
    else:
        assert article.slug and article.title


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "categories.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_categories_builds_tree(tmp_path: Path) -> None:
    tree = load_categories(
        write(
            tmp_path,
            "- key: accesso\n  name_it: Accesso\n  name_en: Access\n  children:\n"
            "    - key: spid\n      name_it: SPID\n      name_en: SPID login\n"
            "- key: ticket\n  name_it: Ticket\n  name_en: Tickets\n",
        )
    )
    assert [c.key for c in tree] == ["accesso", "ticket"]
    assert tree[0].children[0].parent == "accesso"
    assert tree[0].children[0].name("en") == "SPID login"
    assert [c.key for c in iter_categories(tree)] == ["accesso", "spid", "ticket"]


def test_duplicate_category_key_reports_line(tmp_path: Path) -> None:
    path = write(tmp_path, "- key: a\n  name_it: A\n  name_en: A\n- key: a\n  name_it: B\n  name_en: B\n")
    with pytest.raises(FrontMatterError) as caught:
        load_categories(path)
    assert (caught.value.line, caught.value.message) == (4, "duplicate category key 'a'")


def test_category_without_english_name(tmp_path: Path) -> None:
    with pytest.raises(FrontMatterError, match="needs name_it and name_en"):
        load_categories(write(tmp_path, "- key: a\n  name_it: A\n"))


# --- the demo content itself -------------------------------------------------


def demo_articles() -> list[ParsedArticle]:
    keys = {c.key for c in iter_categories(load_categories(CONTENT / "categories.yml"))}
    files = sorted((CONTENT / "faq").glob("*/*.md"))
    return [parse_article(f.read_text(encoding="utf-8"), str(f), category_keys=keys) for f in files]


def test_demo_category_tree_has_two_levels() -> None:
    tree = load_categories(CONTENT / "categories.yml")
    assert len(tree) >= 5
    assert sum(1 for c in tree if c.children) >= 5


def test_demo_articles_are_consistent() -> None:
    articles = demo_articles()
    by_slug = {a.slug: a for a in articles}
    assert len(by_slug) == len(articles), "slugs must be unique across languages"
    for article in articles:
        path = Path(article.source)
        assert path.stem == article.slug
        assert path.parent.name == article.language
        assert article.tags
        for slug in article.related:
            assert by_slug[slug].language == article.language, (article.slug, slug)
        words = len(article.body.split())
        assert 120 <= words <= 400, (article.slug, words)


def test_every_demo_article_has_its_translation() -> None:
    articles = demo_articles()
    by_slug = {a.slug: a for a in articles}
    for article in articles:
        assert article.translation_of, article.slug
        other = by_slug[article.translation_of]
        assert other.language != article.language
        assert other.translation_of in (None, article.slug)
        assert (other.category, other.audience) == (article.category, article.audience)
    counts = Counter(a.language for a in articles)
    assert counts["it"] == counts["en"] >= 24
    audiences = Counter(a.audience for a in articles if a.language == "it")
    assert audiences["staff"] == 2
    assert audiences["customers"] >= 3
