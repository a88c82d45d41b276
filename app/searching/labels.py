"""What a search value means to the reader: the index keeps stable values (a knowledge category's key, a ticket
category's or product's Italian name, a status code); hits, facets and filters show them in the reader's language."""

from dataclasses import dataclass, field

from app.cache import Shared
from app.kb.models import Category as KnowledgeCategory
from app.tickets import references
from app.tickets.workflow import Status


@dataclass(frozen=True)
class ValueLabels:
    category: dict[str, str] = field(default_factory=dict)
    product: dict[str, str] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)

    def of(self, name: str, value: str) -> str:
        """The label of `value` of the facet `name`; a value nobody named shows as it is."""
        table: dict[str, str] = getattr(self, name, {})
        return table.get(value, value)


async def _knowledge_categories() -> list[KnowledgeCategory]:
    return await KnowledgeCategory.all()


knowledge_categories = Shared("knowledge-categories", _knowledge_categories, KnowledgeCategory)


async def value_labels(locale: str) -> ValueLabels:
    """The three small lists, from the per-process cache of the reference tables."""
    categories = {c.key: c.name(locale) for c in await knowledge_categories.get()}
    categories.update({c.name: c.label_for(locale) for c in await references.all_categories()})
    return ValueLabels(
        category=categories,
        product={p.name: p.label_for(locale) for p in await references.all_products()},
        status={s.value: s.label_for(locale) for s in Status},
    )
