"""The account forms (login, registration, passwords, preferences), typed by app/forms.py."""

from typing import Literal

from pydantic import Field

from app.accounts.models import Company, User
from app.forms import Checkbox, ColumnText, FormModel, QueryModel, Text
from app.i18n import LOCALES, N_

MAX_PASSWORD = 1024  # argon2 reads any length; a bound keeps a megabyte from being hashed
MAX_NEXT = 2000  # a same-site address to come back to
Locale = Literal[LOCALES]  # type: ignore[valid-type]
Email = ColumnText(User, "email")
Password = Text(MAX_PASSWORD, strip=False)


class LoginForm(FormModel):
    email: Email = Field("", title=N_("Email"))
    password: Password = Field("", title=N_("Password"))
    next: Text(MAX_NEXT) = "/"
    remember: Checkbox = False


class NextQuery(QueryModel):
    next: Text(MAX_NEXT) = "/"


class LanguageForm(FormModel):
    locale: Locale = Field(title=N_("Language"))
    next: Text(MAX_NEXT) = "/"


class RegisterForm(FormModel):
    full_name: ColumnText(User, "full_name") = Field("", title=N_("Full name"))
    email: Email = Field("", title=N_("Email"))
    company_name: ColumnText(Company, "name") = Field("", title=N_("Company"))
    tax_id: ColumnText(Company, "vat_number") = Field("", title=N_("VAT number or fiscal code"))
    phone: ColumnText(User, "phone") = Field("", title=N_("Phone"))
    note: Text(2000) = Field("", title=N_("Note"))


class ForgotForm(FormModel):
    email: Email = Field("", title=N_("Email"))


class SetPasswordForm(FormModel):
    password: Password = Field("", title=N_("Password"))
    confirm: Password = Field("", title=N_("Confirm password"))


class ChangePasswordForm(SetPasswordForm):
    old: Password = Field("", title=N_("Current password"))


class ContactFields(FormModel):
    """A person's name and contacts, as the person (preferences) and an admin (the user's page) edit them."""

    full_name: ColumnText(User, "full_name", required=True) = Field("", title=N_("Full name"))
    phone: ColumnText(User, "phone") = Field("", title=N_("Phone"))
    mobile: ColumnText(User, "mobile") = Field("", title=N_("Mobile"))
    department: ColumnText(User, "department") = Field("", title=N_("Department"))
    job_title: ColumnText(User, "job_title") = Field("", title=N_("Job title"))


class PreferencesForm(ContactFields):
    locale: Locale = Field(title=N_("Language"))
    notify_own_tickets: Checkbox = False
    notify_company_tickets: Checkbox = False
