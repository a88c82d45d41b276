"""Account rules: authentication, registration, invitations, password changes and one-time links."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from app.accounts import sessions
from app.accounts.fiscal import FiscalError, clean_tax_id
from app.accounts.models import AccountToken, Company, TokenPurpose, User, UserStatus
from app.mail.service import queue_mail
from app.security import hashed_off_loop, verified_off_loop
from app.i18n import N_
from app.settings import Settings

MIN_PASSWORD_LENGTH = 10
TOKEN_TTL = {TokenPurpose.SET_PASSWORD: timedelta(days=3), TokenPurpose.RESET_PASSWORD: timedelta(hours=1)}


class AccountError(ValueError):
    """A rule refused the request; the message is an English msgid shown to the user translated."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def valid_email(email: str) -> bool:
    local, at, domain = email.partition("@")
    return bool(local) and at == "@" and "." in domain and " " not in email and len(email) <= 254


def check_new_password(password: str, confirm: str, email: str) -> None:
    if password != confirm:
        raise AccountError(N_("The two passwords do not match."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(N_("The password must be at least 10 characters long."))
    if password.lower() == email.lower():
        raise AccountError(N_("The password must not be your email address."))


async def authenticate(email: str, password: str) -> User | None:
    user = await User.get_or_none(email=normalize_email(email), status=UserStatus.ACTIVE)
    # verify_password checks a dummy hash when there is none: the same work whatever the account
    valid = await verified_off_loop(user.password_hash if user else None, password)
    return user if valid else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(user: User, purpose: TokenPurpose) -> str:
    token = secrets.token_urlsafe(32)
    await AccountToken.create(
        user=user, purpose=purpose, token_hash=_digest(token), expires_at=datetime.now(UTC) + TOKEN_TTL[purpose]
    )
    return token


async def find_valid_token(token: str) -> AccountToken | None:
    row = await AccountToken.get_or_none(token_hash=_digest(token)).prefetch_related("user")
    if row is None or row.used_at is not None or row.expires_at <= datetime.now(UTC):
        return None
    if row.user.status is not UserStatus.ACTIVE:
        return None
    return row


def password_link(settings: Settings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}/password/set/{token}"


async def _mail_password_link(settings: Settings, user: User, purpose: TokenPurpose) -> None:
    token = await issue_token(user, purpose)
    template = "set_password" if purpose is TokenPurpose.SET_PASSWORD else "reset_password"
    await queue_mail(template, user.email, user.locale, {"user": user, "link": password_link(settings, token)})


async def set_password_with_token(settings: Settings, token: str, password: str, confirm: str) -> User:
    async with in_transaction():
        row = await find_valid_token(token)
        if row is None:
            raise AccountError(N_("This link is no longer valid. Ask for a new one."))
        check_new_password(password, confirm, row.user.email)
        row.used_at = datetime.now(UTC)
        await row.save(update_fields=["used_at"])
        await AccountToken.filter(user_id=row.user_id, used_at=None).update(used_at=row.used_at)
        await _store_password(row.user, password, must_change=False)
        return row.user


async def change_password(user: User, old: str, new: str, confirm: str) -> None:
    if not await verified_off_loop(user.password_hash, old):
        raise AccountError(N_("The current password is wrong."))
    if old == new:
        raise AccountError(N_("The new password must differ from the current one."))
    check_new_password(new, confirm, user.email)
    async with in_transaction():
        await _store_password(user, new, must_change=False)


async def _store_password(user: User, password: str, must_change: bool) -> None:
    user.password_hash = await hashed_off_loop(password)
    user.must_change_password = must_change
    await user.save(update_fields=["password_hash", "must_change_password"])
    await sessions.end_sessions_of(user.id)  # whoever knew the old password is signed out everywhere
    await queue_mail("password_changed", user.email, user.locale, {"user": user})


async def request_password_reset(settings: Settings, email: str) -> None:
    """Mail a reset link if the address belongs to an active account; the caller says the same either way."""
    user = await User.get_or_none(email=normalize_email(email), status=UserStatus.ACTIVE)
    if user is None:
        return
    async with in_transaction():
        await _mail_password_link(settings, user, TokenPurpose.RESET_PASSWORD)


@dataclass(frozen=True)
class Registration:
    full_name: str
    email: str
    company_name: str
    tax_id: str  # the company's VAT number or fiscal code, optional
    phone: str
    note: str
    locale: str


def _domain(email: str) -> str:
    return email.rpartition("@")[2]


async def company_for_domain(domain: str) -> Company | None:
    for company in await Company.exclude(email_domains=""):
        if domain in company.domains():
            return company
    return None


async def register(settings: Settings, form: Registration) -> None:
    """Create the account request. Whether the address was already known is never revealed."""
    email = normalize_email(form.email)
    if not form.full_name or not valid_email(email):
        raise AccountError(N_("Enter your name and a valid email address."))
    if settings.registration == "closed":
        raise AccountError(N_("Registration is closed: ask your administrator for an account."))
    if settings.allowed_domains and _domain(email) not in settings.allowed_domains:
        raise AccountError(N_("Addresses of this domain cannot register here."))
    try:
        tax_id = clean_tax_id(form.tax_id)
    except FiscalError as error:
        raise AccountError(str(error)) from None
    async with in_transaction():
        if await User.exists(email=email):
            return
        company = await company_for_domain(_domain(email))
        approved = settings.registration == "open" and company is not None
        user = await User.create(
            email=email,
            full_name=form.full_name,
            phone=form.phone,
            company=company,
            is_requester=True,
            locale=form.locale,
            status=UserStatus.ACTIVE if approved else UserStatus.PENDING,
            registration_note="\n".join(part for part in (form.company_name, tax_id, form.note) if part),
        )
        if approved:
            await _mail_password_link(settings, user, TokenPurpose.SET_PASSWORD)
        else:
            await _notify_admins_of_request(settings, user)


async def _notify_admins_of_request(settings: Settings, user: User) -> None:
    link = f"{settings.base_url.rstrip('/')}/admin/users?status=pending"
    for admin in await User.filter(is_admin=True, status=UserStatus.ACTIVE):
        await queue_mail("registration_request", admin.email, admin.locale, {"applicant": user, "link": link})


async def approve_registration(settings: Settings, user: User) -> None:
    if user.status is not UserStatus.PENDING:
        raise AccountError(N_("This request was already handled."))
    async with in_transaction():
        user.status = UserStatus.ACTIVE
        await user.save(update_fields=["status", "company_id"])
        await _mail_password_link(settings, user, TokenPurpose.SET_PASSWORD)


async def reject_registration(user: User) -> None:
    """Refuse a request: the person is told by mail, and the address may ask again later."""
    if user.status is not UserStatus.PENDING:
        raise AccountError(N_("This request was already handled."))
    async with in_transaction():
        await queue_mail("registration_rejected", user.email, user.locale, {"applicant": user})
        await user.delete()


async def create_account(
    settings: Settings, *, email: str, full_name: str, company: Company | None, roles: set[str], locale: str
) -> tuple[User, str]:
    """Staff-created account: a temporary password to change at first login, mailed with the portal link."""
    email = normalize_email(email)
    if not full_name or not valid_email(email):
        raise AccountError(N_("Enter the name and a valid email address."))
    if await User.exists(email=email):
        raise AccountError(N_("An account with this email address already exists."))
    temporary = secrets.token_urlsafe(9)
    temporary_hash = await hashed_off_loop(temporary)
    async with in_transaction():
        user = await User.create(
            email=email,
            full_name=full_name,
            company=company,
            locale=locale,
            password_hash=temporary_hash,
            must_change_password=True,
            **{f"is_{role}": True for role in roles},
        )
        await queue_mail(
            "account_created",
            email,
            locale,
            {"user": user, "temporary_password": temporary, "link": f"{settings.base_url.rstrip('/')}/login"},
        )
    return user, temporary
