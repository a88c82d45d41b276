"""Parse FAQ articles (YAML front matter + Markdown body) and the category tree.

Errors carry the 1-based line of the problem in the source file so an editor can jump
straight to it. The format is documented in kb_content/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("it", "en")
AUDIENCES = ("public", "customers", "staff")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FENCE = "---"
_KNOWN_KEYS = frozenset(
    {"title", "slug", "category", "tags", "language", "audience", "translation_of", "related"}
)


class FrontMatterError(ValueError):
    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}:{line}: {message}")
        self.source = source
        self.line = line
        self.message = message


# Builds the error for a key (None: the key is absent, so point at the front matter start).
_Fail = Callable[[str | None, str], FrontMatterError]


@dataclass(frozen=True)
class ParsedArticle:
    source: str
    title: str
    slug: str
    category: str
    language: str
    body: str
    body_line: int
    tags: list[str] = field(default_factory=list)
    audience: str = "public"
    translation_of: str | None = None
    related: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Category:
    key: str
    name_it: str
    name_en: str
    parent: str | None = None
    children: list[Category] = field(default_factory=list)

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_it


def parse_article(
    text: str, source: str, *, category_keys: Collection[str] | None = None
) -> ParsedArticle:
    """Split and validate one article; ``category_keys`` (when given) must contain its category."""
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or lines[0].strip() != _FENCE:
        raise FrontMatterError(source, 1, "front matter must start with '---' on the first line")
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() == _FENCE), None)
    if closing is None:
        raise FrontMatterError(source, 1, "front matter is not closed by a '---' line")
    yaml_text = "\n".join(lines[1:closing])
    values, key_lines = _load_mapping(yaml_text, source, first_line=2)
    fields = _validate_fields(values, key_lines, source, category_keys)
    body = "\n".join(lines[closing + 1 :]).strip("\n") + "\n"
    return ParsedArticle(source=source, body=body, body_line=closing + 2, **fields)


def _load_mapping(
    yaml_text: str, source: str, *, first_line: int
) -> tuple[dict[str, Any], dict[str, int]]:
    """Load a YAML mapping and remember the file line of each top-level key."""
    try:
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        values = yaml.safe_load(yaml_text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line - 1
        raise FrontMatterError(source, line, f"invalid YAML: {_yaml_problem(error)}") from error
    if not isinstance(values, dict) or not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(source, first_line - 1, "front matter must be a mapping of keys to values")
    key_lines = {str(key.value): first_line + key.start_mark.line for key, _ in node.value}
    return values, key_lines


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    return str(problem) if problem else str(error).splitlines()[0]


def _validate_fields(
    values: dict[str, Any],
    key_lines: dict[str, int],
    source: str,
    category_keys: Collection[str] | None,
) -> dict[str, Any]:
    def fail(key: str | None, message: str) -> FrontMatterError:
        return FrontMatterError(source, key_lines.get(key or "", 1), message)

    for key in values:
        if key not in _KNOWN_KEYS:
            raise fail(str(key), f"unknown key '{key}'")
    title = _required_text(values, "title", fail)
    slug = _slug(values, "slug", fail, required=True)
    category = _required_text(values, "category", fail)
    if category_keys is not None and category not in category_keys:
        raise fail("category", f"unknown category '{category}'")
    language = _choice(values, "language", LANGUAGES, None, fail)
    audience = _choice(values, "audience", AUDIENCES, "public", fail)
    return {
        "title": title,
        "slug": slug,
        "category": category,
        "language": language,
        "audience": audience,
        "tags": _text_list(values, "tags", fail),
        "translation_of": _slug(values, "translation_of", fail, required=False),
        "related": [_check_slug(item, "related", fail) for item in _text_list(values, "related", fail)],
    }


def _required_text(values: dict[str, Any], key: str, fail: _Fail) -> str:
    value = values.get(key)
    if value is None:
        raise fail(None, f"missing required key '{key}'")
    if not isinstance(value, str) or not value.strip():
        raise fail(key, f"'{key}' must be a non-empty string")
    return value.strip()


def _slug(values: dict[str, Any], key: str, fail: _Fail, *, required: bool) -> str | None:
    if not required and values.get(key) is None:
        return None
    return _check_slug(_required_text(values, key, fail), key, fail)


def _check_slug(value: str, key: str, fail: _Fail) -> str:
    if not SLUG_PATTERN.match(value):
        raise fail(key, f"'{key}' value '{value}' is not a slug (lowercase letters, digits, dashes)")
    return value


def _choice(
    values: dict[str, Any], key: str, allowed: tuple[str, ...], default: str | None, fail: _Fail
) -> str:
    if values.get(key) is None and default is not None:
        return default
    value = _required_text(values, key, fail)
    if value not in allowed:
        raise fail(key, f"'{key}' must be one of {', '.join(allowed)}, not '{value}'")
    return value


def _text_list(values: dict[str, Any], key: str, fail: _Fail) -> list[str]:
    value = values.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(_is_text_like(item) for item in value):
        raise fail(key, f"'{key}' must be a list of non-empty strings")
    return [str(item).strip() for item in value]


def _is_text_like(item: object) -> bool:
    """Numbers are accepted because editors write tags such as `730` without quotes."""
    if isinstance(item, bool):
        return False
    return isinstance(item, (int, float)) or (isinstance(item, str) and bool(item.strip()))


def load_categories(path: Path) -> list[Category]:
    """Read the category tree from categories.yml (a list of {key, name_it, name_en, children})."""
    source = str(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise FrontMatterError(source, line, f"invalid YAML: {_yaml_problem(error)}") from error
    if not isinstance(root, yaml.SequenceNode):
        raise FrontMatterError(source, 1, "categories.yml must be a list of categories")
    seen: set[str] = set()
    return [_category(node, None, source, seen) for node in root.value]


def _category(node: yaml.Node, parent: str | None, source: str, seen: set[str]) -> Category:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(source, line, "each category must be a mapping")
    entries = {str(key.value): value for key, value in node.value}
    key, name_it, name_en = (_scalar(entries.get(name)) for name in ("key", "name_it", "name_en"))
    if key is None or not SLUG_PATTERN.match(key):
        raise FrontMatterError(source, line, f"category key {key!r} is not a slug")
    if not name_it or not name_en:
        raise FrontMatterError(source, line, f"category '{key}' needs name_it and name_en")
    if key in seen:
        raise FrontMatterError(source, line, f"duplicate category key '{key}'")
    seen.add(key)
    children_node = entries.get("children")
    if children_node is not None and not isinstance(children_node, yaml.SequenceNode):
        raise FrontMatterError(source, children_node.start_mark.line + 1, f"children of '{key}' must be a list")
    children = [_category(child, key, source, seen) for child in (children_node.value if children_node else [])]
    return Category(key=key, name_it=name_it, name_en=name_en, parent=parent, children=children)


def _scalar(node: yaml.Node | None) -> str | None:
    if isinstance(node, yaml.ScalarNode) and str(node.value).strip():
        return str(node.value).strip()
    return None


def iter_categories(tree: list[Category]) -> Iterator[Category]:
    """Every category of the tree, parents before their children."""
    for category in tree:
        yield category
        yield from iter_categories(category.children)
