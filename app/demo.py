"""Demo companies and people (fictitious), loaded by `sportello demo`; safe to run again."""

from dataclasses import dataclass
from datetime import date

from app.accounts.models import Company, User
from app.security import hash_password

DEMO_PASSWORD = "sportello-demo"

COMPANIES: list[dict[str, object]] = [
    {
        "name": "Comune di Valdora", "vat_number": "01234560983", "fiscal_code": "80012340982",
        "phone": "+39 0577 123456", "email": "protocollo@comune.valdora.example", "website": "www.comune.valdora.example",
        "address": "Piazza del Municipio 1", "city": "Valdora", "postal_code": "53100", "province": "SI",
        "support_start": date(2025, 1, 1), "support_end": date(2027, 12, 31), "email_domains": "comune.valdora.example",
        "shares_tickets": True,
    },
    {
        "name": "Studio Paghe Bellini Srl", "vat_number": "09876540320", "fiscal_code": "09876540320",
        "phone": "+39 02 9876543", "email": "info@studiobellini.example", "website": "www.studiobellini.example",
        "address": "Via Torino 42", "city": "Milano", "postal_code": "20123", "province": "MI",
        "support_start": date(2026, 3, 1), "support_end": date(2027, 2, 28), "email_domains": "studiobellini.example",
        "shares_tickets": False,
    },
]

PEOPLE: list[dict[str, object]] = [
    {"email": "admin@sportello.example", "full_name": "Alessandra Conti", "is_admin": True, "is_technician": True,
     "job_title": "Responsabile assistenza"},
    {"email": "tecnico@sportello.example", "full_name": "Marco Ferri", "is_technician": True,
     "job_title": "Tecnico di supporto", "phone": "+39 0577 555010"},
    {"email": "tecnica2@sportello.example", "full_name": "Giulia Neri", "is_technician": True,
     "job_title": "Tecnico di supporto", "locale": "en"},
    {"email": "editor@sportello.example", "full_name": "Paolo Galli", "is_editor": True,
     "job_title": "Redattore knowledge base"},
    {"email": "mario.rossi@comune.valdora.example", "full_name": "Mario Rossi", "is_requester": True,
     "company": "Comune di Valdora", "department": "Ufficio Personale", "job_title": "Istruttore amministrativo",
     "phone": "+39 0577 123470"},
    {"email": "laura.bianchi@comune.valdora.example", "full_name": "Laura Bianchi", "is_requester": True,
     "company": "Comune di Valdora", "department": "Segreteria generale", "job_title": "Responsabile albo pretorio",
     "phone": "+39 0577 123471"},
    {"email": "anna.verdi@studiobellini.example", "full_name": "Anna Verdi", "is_requester": True,
     "company": "Studio Paghe Bellini Srl", "department": "Elaborazione paghe", "job_title": "Consulente del lavoro",
     "locale": "en"},
]


@dataclass(frozen=True)
class DemoLogins:
    password: str
    accounts: list[tuple[str, str]]


async def load_demo() -> DemoLogins:
    companies = {}
    for data in COMPANIES:
        company, _created = await Company.update_or_create(defaults=data, name=data["name"])
        companies[company.name] = company
    password_hash = hash_password(DEMO_PASSWORD)
    accounts = []
    for data in PEOPLE:
        values = {k: v for k, v in data.items() if k not in ("email", "company")}
        values["company"] = companies.get(str(data.get("company", "")))
        user = await User.get_or_none(email=data["email"])
        if user is None:
            user = await User.create(email=data["email"], password_hash=password_hash, **values)
        roles = ", ".join(sorted(role.value for role in user.roles))
        where = f" — {values['company'].name}" if values["company"] else ""
        accounts.append((user.email, f"{user.full_name} ({roles}){where}"))
    from app.contracts.demo import load_demo_contracts
    from app.tickets.demo import load_demo_tickets

    await load_demo_contracts()
    await load_demo_tickets()
    return DemoLogins(DEMO_PASSWORD, accounts)
