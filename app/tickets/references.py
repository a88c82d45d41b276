"""What ticket pages and mails read on every request and few change: the categories, the products and the
technicians, through the per-process cache (app/cache.py)."""

from tortoise.expressions import Q

from app.accounts.models import User, UserStatus
from app.cache import Shared
from app.tickets.models import Category, Product


async def _categories() -> dict[int, Category]:
    return {c.id: c for c in await Category.all()}


async def _products() -> dict[int, Product]:
    return {p.id: p for p in await Product.all()}


categories = Shared("ticket-categories", _categories, Category)
products = Shared("ticket-products", _products, Product)


async def all_categories(active_only: bool = False) -> list[Category]:
    """In the order the pages list them (the model's ordering)."""
    return [c for c in (await categories.get()).values() if c.active or not active_only]


async def all_products(active_only: bool = False) -> list[Product]:
    return [p for p in (await products.get()).values() if p.active or not active_only]


async def _active_technicians() -> list[User]:
    """Technicians and admins (who work tickets too), active, by name."""
    return await User.filter(Q(is_technician=True) | Q(is_admin=True), status=UserStatus.ACTIVE).order_by("full_name")


# A saved user (a role, a name, a status changed) forgets them.
_technicians = Shared("technicians", _active_technicians, User)


async def technicians() -> list[User]:
    return await _technicians.get()
