"""Companies (the seed portals' "Azienda"), people (their "Contatti", plus staff) and one-time account tokens."""

from enum import StrEnum
from functools import lru_cache

from tortoise import fields
from tortoise.models import Model

from app.i18n import N_


class Role(StrEnum):
    REQUESTER = "requester"
    TECHNICIAN = "technician"
    EDITOR = "editor"
    ADMIN = "admin"


STAFF_ROLES: frozenset[Role] = frozenset({Role.TECHNICIAN, Role.EDITOR, Role.ADMIN})


class UserStatus(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"  # a registration request waiting for an admin
    DISABLED = "disabled"


class Company(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    vat_number = fields.CharField(max_length=32, default="")
    fiscal_code = fields.CharField(max_length=32, default="")
    phone = fields.CharField(max_length=40, default="")
    email = fields.CharField(max_length=254, default="")
    website = fields.CharField(max_length=200, default="")
    address = fields.CharField(max_length=300, default="")
    city = fields.CharField(max_length=100, default="")
    postal_code = fields.CharField(max_length=16, default="")
    province = fields.CharField(max_length=40, default="")
    country = fields.CharField(max_length=60, default="Italia")
    support_start = fields.DateField(null=True)
    support_end = fields.DateField(null=True)
    email_domains = fields.CharField(max_length=300, default="", description="Registrations from these join it")
    shares_tickets = fields.BooleanField(default=True, description="Contacts may see all tickets of the company")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "company"
        ordering = ["name"]

    def domains(self) -> list[str]:
        return [d.strip().lower() for d in self.email_domains.split(",") if d.strip()]


@lru_cache(maxsize=16)
def _held_roles(requester: bool, technician: bool, editor: bool, admin: bool) -> frozenset[Role]:
    """Asked dozens of times a page (every permission check): one frozenset per combination of flags."""
    flags = {Role.REQUESTER: requester, Role.TECHNICIAN: technician, Role.EDITOR: editor, Role.ADMIN: admin}
    return frozenset(role for role, held in flags.items() if held)


class User(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True, description="Stored lower-case")
    password_hash = fields.CharField(max_length=200, null=True)
    full_name = fields.CharField(max_length=200)
    phone = fields.CharField(max_length=40, default="")
    mobile = fields.CharField(max_length=40, default="")
    department = fields.CharField(max_length=100, default="")
    job_title = fields.CharField(max_length=100, default="")
    address = fields.CharField(max_length=300, default="")
    company: fields.ForeignKeyNullableRelation[Company] = fields.ForeignKeyField(
        "accounts.Company", related_name="contacts", null=True, on_delete=fields.SET_NULL
    )
    is_requester = fields.BooleanField(default=False)
    is_technician = fields.BooleanField(default=False)
    is_editor = fields.BooleanField(default=False)
    is_admin = fields.BooleanField(default=False)
    status = fields.CharEnumField(UserStatus, default=UserStatus.ACTIVE)
    must_change_password = fields.BooleanField(default=False)
    locale = fields.CharField(max_length=5, default="it")
    notify_own_tickets = fields.BooleanField(default=True)
    notify_company_tickets = fields.BooleanField(default=False)
    sees_company_tickets = fields.BooleanField(default=True)
    session_version = fields.IntField(default=1, description="Bumped to end every session of this user")
    registration_note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)

    company_id: int | None

    class Meta:
        table = "user"
        ordering = ["full_name"]

    @property
    def roles(self) -> frozenset[Role]:
        return _held_roles(self.is_requester, self.is_technician, self.is_editor, self.is_admin)

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    def has_role(self, role: Role) -> bool:
        return role in self.roles or (role is not Role.REQUESTER and self.is_admin)


class TokenPurpose(StrEnum):
    SET_PASSWORD = "set_password"  # after registration approval or an invitation
    RESET_PASSWORD = "reset_password"


class AccountToken(Model):
    # A single-use, expiring link sent by mail: only its SHA-256 digest is stored.

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="tokens", on_delete=fields.CASCADE
    )
    purpose = fields.CharEnumField(TokenPurpose)
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    user_id: int

    class Meta:
        table = "account_token"


class Session(Model):
    # A signed-in browser. The cookie carries a random id; only its SHA-256 is stored, so a copy of this
    # table signs nobody in. Deleting the row ends the session wherever the cookie was copied to.

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="sessions", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(db_index=True)
    last_seen_at = fields.DatetimeField()
    user_agent = fields.CharField(max_length=300, default="")

    user_id: int

    class Meta:
        table = "user_session"


class RateLimitHit(Model):
    # One counted attempt (a failed login, a registration, a reset request...), shared by every process.

    id = fields.IntField(primary_key=True)
    scope = fields.CharField(max_length=40)
    key = fields.CharField(max_length=300)
    at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "rate_limit_hit"
        indexes = (("scope", "key", "at"),)


# Enum values are shown translated in pages: `_(role.value)`.
LABELS = (N_("requester"), N_("technician"), N_("editor"), N_("admin"), N_("active"), N_("pending"), N_("disabled"))
