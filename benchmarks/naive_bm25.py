"""The reference the portal's ranking must beat: one plain tantivy BM25 query over question + answer + tags.

Nothing tuned: three text fields (question, answer, tags) with tantivy's built-in stop words and Snowball
stemmer for the collection's language; every analysed query word a SHOULD term clause in each field,
all weighing the same (what `index.parse_query(text, fields)` builds). Built in a temporary
directory beside the portal's run, on the same FAQ and the same questions.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from typing import Protocol

import tantivy

STEMMER = {"it": "italian", "en": "english"}
ANALYZER = "naive_bm25_{language}"
FIELDS = ("question", "answer", "tags")


class FaqLike(Protocol):
    id: str
    question: str
    answer: str
    tags: list[str]


def analyzer(language: str) -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stopword(STEMMER[language]))
        .filter(tantivy.Filter.stemmer(STEMMER[language]))
        .build()
    )


def rank(faqs: Sequence[FaqLike], questions: Iterable[tuple[str, str]], language: str, depth: int) -> dict[str, list[tuple[str, float]]]:
    """qid -> [(faq id, BM25 score)], best first, at most `depth` per question."""
    name = ANALYZER.format(language=language)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for field in FIELDS:
        builder.add_text_field(field, tokenizer_name=name)
    schema = builder.build()
    with tempfile.TemporaryDirectory(prefix="naive-bm25-") as directory:
        index = tantivy.Index(schema, path=directory)
        index.register_tokenizer(name, analyzer(language))
        writer = index.writer(50_000_000)
        for faq in faqs:
            texts = {"question": faq.question, "answer": faq.answer, "tags": " ".join(faq.tags)}
            writer.add_document(tantivy.Document.from_dict({"id": faq.id, **texts}, schema))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        searcher = index.searcher()
        runs: dict[str, list[tuple[str, float]]] = {}
        for qid, text in questions:
            terms = analyzer(language).analyze(text)
            query = tantivy.Query.boolean_query([(tantivy.Occur.Should, tantivy.Query.term_query(schema, field, term))
                                                 for term in terms for field in FIELDS])
            found = searcher.search(query, depth).hits
            runs[qid] = [(searcher.doc(address).get_first("id"), float(score)) for score, address in found]
        return runs
