"""tantivy schema, analyzers and document conversion for the embedded engine."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import tantivy

from search.access import document_keys
from search.arrange import encode, placement_of
from search.highlight import Span
from search.types import SearchDocument

SCHEMA_VERSION = "v6"
PLAIN = "sportello_plain_v1"
STEMMED = {"it": "sportello_it_v1", "en": "sportello_en_v1"}
STEMMER_LANGUAGE = {"it": "italian", "en": "english"}
TEXT_FIELDS: tuple[str, ...] = ("title", "tags", "resolution", "body", "staff_body")
# Typo and prefix matching walk a term dictionary per field: one field holding every public
# text field makes that walk happen once per word instead of once per field. Each other text
# field (staff notes) is searched on its own; the title also on its own, as it weighs most.
PUBLIC_TEXT = "public_text_plain"
PUBLIC_STEMMED = {language: f"public_text_{language}" for language in STEMMED}
PUBLIC_TEXT_FIELDS: tuple[str, ...] = ("title", "tags", "resolution", "body")
SEPARATE_TEXT_FIELDS: tuple[str, ...] = tuple(name for name in TEXT_FIELDS if name not in PUBLIC_TEXT_FIELDS)
# Every two neighbouring words as one token ("busta_paga", Elasticsearch's `index_phrases`): a
# two-word synonym phrase is one term lookup instead of reading the positions of every document
# holding both words. Pair fields are the only ones keeping positions (phrases of three words).
PAIRS = "sportello_pairs_v1"
PAIR_JOINER = "_"  # never inside a plain token: the tokenizer splits on anything not alphanumeric
PUBLIC_PAIRS = "public_text_pairs"
KEYWORD_FIELDS: tuple[str, ...] = ("kind", "category", "product", "status", "language", "audience")
ID_FIELDS: tuple[str, ...] = ("company_id", "requester_id")
NO_ID = 0  # u64 stand-in for None; database ids start at 1
VISIBLE_TO = "visible_to"  # access.document_keys: the access filter is one term-set lookup
ARRANGEMENT = "arrangement"  # arrange.encode(placement_of(doc)): read for every candidate, so kept short


def _builder() -> tantivy.TextAnalyzerBuilder:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(60))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )


@lru_cache(maxsize=1)
def plain_analyzer() -> tantivy.TextAnalyzer:
    return _builder().build()


@lru_cache(maxsize=2)
def stem_analyzer(language: str) -> tantivy.TextAnalyzer:
    return _builder().filter(tantivy.Filter.stemmer(STEMMER_LANGUAGE[language])).build()


def register_analyzers(index: tantivy.Index) -> None:
    """Must run after every Index()/Index.open(): tantivy keeps tokenizers per process."""
    index.register_tokenizer(PLAIN, plain_analyzer())
    for language, name in STEMMED.items():
        index.register_tokenizer(name, stem_analyzer(language))
    index.register_tokenizer(PAIRS, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field(VISIBLE_TO, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(ARRANGEMENT, stored=True, tokenizer_name="raw", index_option="basic")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, fast=True, tokenizer_name="raw")
    for name in ID_FIELDS:
        builder.add_unsigned_field(name, indexed=True, fast=True)
    builder.add_date_field("updated_at", indexed=True, fast=True)
    # Scores need frequencies at most: BM25 ranks by the stemmed fields and the title's exact words;
    # the combined and separate plain fields only decide matches (exact, typo, prefix).
    builder.add_text_field("title_plain", tokenizer_name=PLAIN, index_option="freq")
    for name in SEPARATE_TEXT_FIELDS:
        builder.add_text_field(f"{name}_plain", tokenizer_name=PLAIN, index_option="basic")
    for name in TEXT_FIELDS:
        for language, tokenizer in STEMMED.items():
            builder.add_text_field(f"{name}_{language}", tokenizer_name=tokenizer, index_option="freq")
    builder.add_text_field(PUBLIC_TEXT, tokenizer_name=PLAIN, index_option="basic")
    for language, tokenizer in STEMMED.items():
        builder.add_text_field(PUBLIC_STEMMED[language], tokenizer_name=tokenizer, index_option="freq")
    for name in (PUBLIC_PAIRS, *map(pairs_field, SEPARATE_TEXT_FIELDS)):
        builder.add_text_field(name, tokenizer_name=PAIRS)
    builder.add_bytes_field("payload", stored=True)
    return builder.build()


def text_language(language: str) -> str:
    return language if language in STEMMED else "it"


def field_text(doc: SearchDocument, name: str) -> str:
    if name == "tags":
        return " , ".join(doc.tags)
    return str(getattr(doc, name))


def to_tantivy(doc: SearchDocument, schema: tantivy.Schema) -> tantivy.Document:
    values: dict[str, object] = {
        "id": doc.id,
        "company_id": doc.company_id or NO_ID,
        "requester_id": doc.requester_id or NO_ID,
        "updated_at": doc.updated_at,
        "payload": json.dumps(doc.to_json(), ensure_ascii=False).encode(),
        ARRANGEMENT: encode(placement_of(doc)),
    }
    keys = document_keys(doc)
    if keys:
        values[VISIBLE_TO] = list(keys)
    for name in KEYWORD_FIELDS:
        values[name] = str(getattr(doc, name))
    language = text_language(doc.language)
    texts = {name: text for name in TEXT_FIELDS if (text := field_text(doc, name))}
    if "title" in texts:
        values["title_plain"] = texts["title"]
    for name, text in texts.items():
        values[f"{name}_{language}"] = text
    for name in SEPARATE_TEXT_FIELDS:
        if name in texts:
            values[f"{name}_plain"] = texts[name]
            values[pairs_field(name)] = word_pairs(texts[name])
    public = [texts[name] for name in PUBLIC_TEXT_FIELDS if name in texts]
    if public:
        values[PUBLIC_TEXT] = values[PUBLIC_STEMMED[language]] = public
        values[PUBLIC_PAIRS] = [word_pairs(text) for text in public]
    return tantivy.Document.from_dict(values, schema)


def stored_json(stored: tantivy.Document) -> dict[str, Any]:
    """The stored document as `SearchDocument.to_json` wrote it."""
    return json.loads(stored.get_first("payload"))  # type: ignore[no-any-return]


def from_stored(stored: tantivy.Document) -> SearchDocument:
    return SearchDocument.from_json(stored_json(stored))


def tokenize_plain(text: str) -> list[str]:
    return plain_analyzer().analyze(text)


def pairs_field(name: str) -> str:
    return f"{name}_pairs"


def word_pairs(text: str) -> str:
    """The text's neighbouring plain words as pair tokens, space-separated: "busta_paga paga_di ..."."""
    return " ".join(pair_terms(tokenize_plain(text)))


def pair_terms(phrase: Sequence[str]) -> list[str]:
    """The pair tokens a phrase of plain words is made of, in order."""
    return list(map(PAIR_JOINER.join, zip(phrase, phrase[1:])))


def token_spans(text: str) -> Span:
    """Character offsets of the tokens `tokenize_plain(text)` returns, by token index."""
    tokens = plain_analyzer().pre_tokenize(text).tokens

    def span(index: int) -> tuple[int, int]:
        token = tokens[index]
        return token.char_offset_from, token.char_offset_to

    return span


@lru_cache(maxsize=512)
def field_tokens(text: str) -> tuple[tuple[str, ...], Span]:
    """`text`'s plain tokens and their offsets, for highlighting. Kept for the last texts highlighted: the
    same documents come back query after query, and tokenizing them twice was most of a snippet's cost."""
    return tuple(tokenize_plain(text)), token_spans(text)


@lru_cache(maxsize=2)
def _snowball_stop_filter(language: str) -> tantivy.TextAnalyzer:
    """Removes the words of Snowball's stop list for `language` (tantivy's built-in copy)."""
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).filter(tantivy.Filter.stopword(language)).build()


@lru_cache(maxsize=65_536)
def snowball_stop_word(word: str) -> bool:
    """Whether the folded `word` is on Snowball's Italian or English stop list."""
    return any(not _snowball_stop_filter(language).analyze(word) for language in STEMMER_LANGUAGE.values())


class StopWords:
    """The lexicon's stop words (folded) and Snowball's Italian and English lists."""

    def __init__(self, lexicon_words: frozenset[str]) -> None:
        self.lexicon_words = lexicon_words

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self.lexicon_words or snowball_stop_word(word))

    def among(self, words: Sequence[str]) -> set[str]:
        return {word for word in words if word in self}


@lru_cache(maxsize=65_536)
def stem(word: str, language: str) -> str:
    stems = stem_analyzer(text_language(language)).analyze(word)
    return stems[0] if stems else word
