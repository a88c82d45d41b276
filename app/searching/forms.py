"""The search page's query string, the header box's and the admin's lexicon form, typed by app/forms.py."""

from typing import Literal

from pydantic import Field

from app.forms import Count, FormModel, QueryModel, Text
from app.i18n import N_
from search.types import KINDS

MAX_FILTER_CHARS = 200
MAX_PAGE = 9_999
MAX_LEXICON = 100_000


class SearchQuery(QueryModel):
    q: Text(MAX_FILTER_CHARS) = ""
    kind: Literal[KINDS + ("",)] = ""  # type: ignore[valid-type]
    category: Text(MAX_FILTER_CHARS) = ""
    product: Text(MAX_FILTER_CHARS) = ""
    page: Count = Field(1, ge=1, le=MAX_PAGE)
    refine: Literal["1", ""] = ""


class SuggestQuery(QueryModel):
    q: Text(MAX_FILTER_CHARS, strip=False) = ""  # a trailing space ends the last word


class LexiconForm(FormModel):
    action: Text(20) = ""
    synonyms: Text(MAX_LEXICON, strip=False) = Field("", title=N_("Synonyms"))
    stop_words_it: Text(MAX_LEXICON, strip=False) = Field("", title=N_("Stop words (Italian)"))
    stop_words_en: Text(MAX_LEXICON, strip=False) = Field("", title=N_("Stop words (English)"))
