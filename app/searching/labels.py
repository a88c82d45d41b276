"""What a search value means to the reader: the index keeps stable values (a knowledge category's key, a ticket
category's or product's Italian name, a status code); hits, facets and filters show them in the reader's language."""

from dataclasses import dataclass, field

from app.kb.models import Category as KnowledgeCategory
from app.tickets.models import Category, Product
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


async def value_labels(locale: str) -> ValueLabels:
    """The three small lists, read once per results page."""
    categories = {c.key: c.name(locale) for c in await KnowledgeCategory.all()}
    categories.update({c.name: c.label_for(locale) for c in await Category.all()})
    return ValueLabels(
        category=categories,
        product={p.name: p.label_for(locale) for p in await Product.all()},
        status={s.value: s.label_for(locale) for s in Status},
    )
