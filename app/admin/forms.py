"""The administration forms: companies and users, typed by app/forms.py with the models' limits."""

from pydantic import Field

from app.accounts.forms import ContactFields, Email, Locale
from app.accounts.models import Company, User, UserStatus
from app.audit.models import AuditEntry
from app.mail.models import OutgoingMail
from app.forms import Checkbox, Choice, ColumnText, Count, FormModel, OptionalDate, OptionalId, QueryModel
from app.i18n import N_


class CompanyForm(FormModel):
    name: ColumnText(Company, "name", required=True) = Field("", title=N_("Company name"))
    vat_number: ColumnText(Company, "vat_number") = Field("", title=N_("VAT number"))
    fiscal_code: ColumnText(Company, "fiscal_code") = Field("", title=N_("Fiscal code"))
    phone: ColumnText(Company, "phone") = Field("", title=N_("Phone"))
    email: ColumnText(Company, "email") = Field("", title=N_("Email"))
    website: ColumnText(Company, "website") = Field("", title=N_("Website"))
    address: ColumnText(Company, "address") = Field("", title=N_("Address"))
    city: ColumnText(Company, "city") = Field("", title=N_("City"))
    postal_code: ColumnText(Company, "postal_code") = Field("", title=N_("Postal code"))
    province: ColumnText(Company, "province") = Field("", title=N_("Province"))
    country: ColumnText(Company, "country") = Field("", title=N_("Country"))
    email_domains: ColumnText(Company, "email_domains") = Field("", title=N_("Email domains"))
    shares_tickets: Checkbox = False
    support_start: OptionalDate = Field(None, title=N_("Support start"))
    support_end: OptionalDate = Field(None, title=N_("Support end"))


class Roles(FormModel):
    is_requester: Checkbox = False
    is_technician: Checkbox = False
    is_editor: Checkbox = False
    is_admin: Checkbox = False


class NewUserForm(Roles):
    email: Email = Field("", title=N_("Email"))
    full_name: ColumnText(User, "full_name") = Field("", title=N_("Full name"))
    company: OptionalId = Field(None, title=N_("Company"))
    locale: Locale = Field("it", title=N_("Language"))


class EditUserForm(Roles, ContactFields):
    address: ColumnText(User, "address") = Field("", title=N_("Address"))
    company: OptionalId = Field(None, title=N_("Company"))
    sees_company_tickets: Checkbox = False
    status: Choice(UserStatus) = Field(None, title=N_("Status"))


class UsersQuery(QueryModel):
    status: Choice(UserStatus) = None


class AuditQuery(QueryModel):
    q: ColumnText(AuditEntry, "summary") = ""
    action: ColumnText(AuditEntry, "action") = ""
    page: Count = 1


class EraseForm(FormModel):
    confirm: ColumnText(User, "email", required=True) = Field("", title=N_("Email"))


class MailQuery(QueryModel):
    to: ColumnText(OutgoingMail, "recipient") = ""
    page: Count = 1
