"""A deterministic synthetic support-portal corpus (Italian and English) and query mix.

    from benchmarks.corpus import generate, query_mix
    docs = list(generate(100_000, seed=1))

Roughly 6% FAQ, 10% manual pages and 84% tickets; 80% Italian. Tickets belong to one of
COMPANIES companies and one of REQUESTERS requesters (each requester always in the same
company), so access filters of a requester keep a small slice of the tickets. Texts are
built from topic vocabularies of a public-sector / payroll software support desk, with
product names, error codes and filler sentences, so word frequencies are skewed like real
tickets (a few very common words, a long tail).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from search.types import Principal, SearchDocument

COMPANIES = 200
REQUESTERS = 2_000
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

PRODUCTS = (
    "Albo Online", "Protocollo Web", "PresenzeCloud", "Sportello Paghe", "FirmaKit", "GestDoc",
    "Tributi Plus", "Anagrafe Next", "PEC Manager", "Contabilità Enti",
)


@dataclass(frozen=True)
class Topic:
    key: str
    category: str
    it_words: tuple[str, ...]
    en_words: tuple[str, ...]
    it_titles: tuple[str, ...]
    en_titles: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "password", "accesso-credenziali",
        ("password", "credenziali", "accesso", "login", "utenza", "bloccata", "scaduta", "reimpostare",
         "link", "email", "recupero", "autenticazione", "codice", "OTP", "tentativi"),
        ("password", "credentials", "login", "account", "locked", "expired", "reset", "link", "email",
         "recovery", "authentication", "code", "attempts", "sign in"),
        ("Password scaduta su {p}", "Non riesco ad accedere a {p}", "Utenza bloccata dopo tre tentativi",
         "Reimpostare la password dimenticata", "Il link di recupero password non arriva"),
        ("Password expired in {p}", "Cannot sign in to {p}", "Account locked after three attempts",
         "Reset a forgotten password", "Password recovery link never arrives"),
    ),
    Topic(
        "spid", "accesso-credenziali",
        ("SPID", "CIE", "identità", "digitale", "accesso", "provider", "livello", "autorizzazione",
         "cittadino", "portale", "errore", "sessione", "reindirizzamento"),
        ("SPID", "CIE", "digital", "identity", "provider", "level", "authorisation", "citizen", "portal",
         "error", "session", "redirect"),
        ("Accesso con SPID non riuscito", "Errore {e} durante l'accesso SPID", "Login CIE su {p}",
         "Il provider SPID non reindirizza al portale"),
        ("SPID login fails", "Error {e} during SPID sign in", "CIE login on {p}",
         "The SPID provider does not redirect back"),
    ),
    Topic(
        "cedolino", "paghe",
        ("cedolino", "cedolini", "busta", "paga", "stipendio", "mensile", "netto", "trattenute", "IRPEF",
         "conguaglio", "tredicesima", "CU", "dipendente", "elaborazione", "stampa"),
        ("payslip", "salary", "monthly", "net", "deductions", "tax", "adjustment", "employee", "payroll",
         "processing", "print"),
        ("Cedolino di {m} non visibile", "Errore nel calcolo del conguaglio", "Scaricare i cedolini in PDF",
         "Tredicesima non presente nel cedolino", "La CU non è disponibile su {p}"),
        ("Payslip for {m} not visible", "Wrong payroll adjustment", "Download payslips as PDF",
         "Payroll run fails on {p}"),
    ),
    Topic(
        "timbrature", "presenze",
        ("timbrature", "timbratura", "presenze", "cartellino", "badge", "orario", "straordinario",
         "ferie", "permessi", "giustificativo", "terminale", "rilevatore", "mancante"),
        ("clocking", "attendance", "timesheet", "badge", "overtime", "holidays", "leave", "terminal",
         "reader", "missing", "shift"),
        ("Timbrature mancanti nel cartellino di {m}", "Il terminale presenze non sincronizza",
         "Richiesta ferie non approvata", "Badge non letto dal rilevatore"),
        ("Missing clockings in the {m} timesheet", "Attendance terminal does not sync",
         "Leave request not approved", "Badge not read by the terminal"),
    ),
    Topic(
        "albo", "albo-pretorio",
        ("albo", "pretorio", "pubblicazione", "atto", "delibera", "determina", "scadenza", "affissione",
         "trasparenza", "allegato", "firmato", "annullamento", "referto"),
        ("notice", "board", "publication", "act", "resolution", "deadline", "transparency", "attachment",
         "signed", "cancel", "report"),
        ("Pubblicare una delibera sull'albo pretorio", "Atto non visibile su {p}",
         "Annullare una pubblicazione all'albo", "Referto di pubblicazione non generato"),
        ("Publish a resolution on the notice board", "Act not visible on {p}",
         "Cancel a notice board publication"),
    ),
    Topic(
        "pec", "posta",
        ("PEC", "posta", "certificata", "casella", "ricevuta", "consegna", "accettazione", "invio",
         "messaggio", "allegati", "dimensione", "protocollo", "interoperabilità"),
        ("certified", "mail", "mailbox", "receipt", "delivery", "acceptance", "message", "attachments",
         "size", "sending"),
        ("PEC non ricevuta dal protocollo", "Ricevuta di consegna PEC mancante",
         "Errore {e} nell'invio PEC", "Configurare la casella PEC in {p}"),
        ("Certified mail not received", "Missing PEC delivery receipt", "Error {e} sending certified mail"),
    ),
    Topic(
        "firma", "firma-digitale",
        ("firma", "digitale", "smart", "card", "token", "certificato", "scaduto", "CAdES", "PAdES",
         "p7m", "verifica", "rinnovo", "driver", "lettore"),
        ("signature", "digital", "smart", "card", "token", "certificate", "expired", "verify", "renewal",
         "driver", "reader"),
        ("Firma digitale non riconosciuta", "Certificato di firma scaduto", "Il lettore smart card non funziona",
         "Verificare un file p7m", "Errore {e} in fase di firma su {p}"),
        ("Digital signature not recognised", "Signing certificate expired", "Smart card reader not working",
         "Error {e} while signing in {p}"),
    ),
    Topic(
        "protocollo", "protocollo",
        ("protocollo", "registrazione", "registro", "fascicolo", "documento", "classificazione", "mittente",
         "destinatario", "segnatura", "scansione", "giornaliero", "numerazione"),
        ("registry", "record", "file", "document", "classification", "sender", "recipient", "scan", "daily",
         "numbering"),
        ("Numerazione del protocollo errata", "Registro giornaliero non inviato", "Scansione non allegata al protocollo",
         "Protocollare una PEC in entrata"),
        ("Wrong registry numbering", "Daily register not sent", "Scan not attached to the record"),
    ),
    Topic(
        "stampa", "postazioni",
        ("stampante", "stampa", "toner", "carta", "inceppata", "driver", "rete", "coda", "scanner",
         "configurazione", "ufficio", "condivisa"),
        ("printer", "printing", "toner", "paper", "jam", "driver", "network", "queue", "scanner",
         "configuration", "office", "shared"),
        ("Stampante di rete non stampa", "Carta inceppata nella stampante", "Coda di stampa bloccata",
         "Installare il driver della stampante"),
        ("Network printer not printing", "Paper jam in the printer", "Print queue stuck"),
    ),
    Topic(
        "aggiornamento", "installazione",
        ("aggiornamento", "versione", "installazione", "rilascio", "patch", "database", "server", "backup",
         "migrazione", "compatibilità", "browser", "cache", "lentezza"),
        ("update", "version", "installation", "release", "patch", "database", "server", "backup",
         "migration", "compatibility", "browser", "cache", "slow"),
        ("Aggiornamento di {p} alla versione {v}", "Errore {e} dopo l'aggiornamento", "{p} lento dopo il rilascio",
         "Backup del database prima della migrazione"),
        ("Update {p} to version {v}", "Error {e} after the update", "{p} slow after the release"),
    ),
    Topic(
        "fattura", "contabilita",
        ("fattura", "fatture", "fatturazione", "elettronica", "SDI", "scarto", "notifica", "XML", "split",
         "payment", "mandato", "reversale", "bilancio", "impegno"),
        ("invoice", "invoices", "electronic", "rejection", "notification", "XML", "payment", "budget",
         "commitment"),
        ("Fattura elettronica scartata dallo SDI", "Notifica di scarto {e}", "Mandato di pagamento non emesso",
         "Importare le fatture XML in {p}"),
        ("Electronic invoice rejected by SDI", "Payment order not issued", "Import XML invoices into {p}"),
    ),
)

IT_FILLER = (
    "Buongiorno, vi scrivo per segnalare un problema.", "Il problema si presenta da questa mattina.",
    "Abbiamo già provato a riavviare il computer.", "Allego uno screenshot dell'errore.",
    "La cosa è urgente perché abbiamo una scadenza.", "Grazie per l'aiuto, cordiali saluti.",
    "Il collega dell'ufficio tributi ha lo stesso problema.", "Il messaggio compare dopo qualche secondo.",
    "Non abbiamo modificato nulla nella configurazione.", "Succede solo con alcuni utenti.",
    "Potete richiamarmi in mattinata?", "Il browser utilizzato è Firefox aggiornato.",
)
EN_FILLER = (
    "Hello, I am writing to report an issue.", "It started this morning.",
    "We already tried restarting the computer.", "A screenshot of the error is attached.",
    "This is urgent because of a deadline.", "Thanks for your help, kind regards.",
    "A colleague in accounting has the same problem.", "The message appears after a few seconds.",
    "Nothing was changed in the configuration.", "It only happens for some users.",
)
IT_RESOLUTIONS = (
    "Risolto reimpostando {w} e svuotando la cache del browser.", "Abbiamo corretto la configurazione di {w}.",
    "Installata la patch {v} che corregge l'errore {e}.", "Il problema era dovuto a {w}: ora funziona.",
    "Spiegato al cliente come gestire {w} dal menu Impostazioni.",
)
EN_RESOLUTIONS = (
    "Fixed by resetting {w} and clearing the browser cache.", "We corrected the {w} configuration.",
    "Installed patch {v}, which fixes error {e}.", "The cause was {w}; it works now.",
)
MONTHS_IT = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "September", "October")
STATUSES = ("solved", "closed", "closed", "closed", "open", "waiting_support")


def _error(rng: random.Random) -> str:
    return rng.choice(("ERR-", "E", "HTTP ", "SDI-")) + str(rng.randint(100, 9999))


def _version(rng: random.Random) -> str:
    return f"{rng.randint(3, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"


def _fill(template: str, rng: random.Random, italian: bool, product: str) -> str:
    month = rng.choice(MONTHS_IT if italian else MONTHS_EN)
    return template.format(p=product, e=_error(rng), v=_version(rng), m=month, w="{w}")


def _sentence(rng: random.Random, words: tuple[str, ...], italian: bool, product: str) -> str:
    """A topical sentence: mostly topic words, sometimes a product, an error code, a filler."""
    picked = rng.choices(words, k=rng.randint(5, 12))
    if rng.random() < 0.3:
        picked.insert(rng.randrange(len(picked)), product)
    if rng.random() < 0.2:
        picked.append(_error(rng))
    text = " ".join(picked)
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, topic: Topic, italian: bool, product: str, sentences: int) -> str:
    words = topic.it_words if italian else topic.en_words
    filler = IT_FILLER if italian else EN_FILLER
    parts = [
        rng.choice(filler) if rng.random() < 0.35 else _sentence(rng, words, italian, product)
        for _ in range(sentences)
    ]
    return " ".join(parts)


def _title(rng: random.Random, topic: Topic, italian: bool, product: str) -> str:
    return _fill(rng.choice(topic.it_titles if italian else topic.en_titles), rng, italian, product)


def make_document(n: int, rng: random.Random) -> SearchDocument:
    topic = rng.choice(TOPICS)
    italian = rng.random() < 0.8
    product = rng.choice(PRODUCTS)
    title = _title(rng, topic, italian, product)
    roll = rng.random()
    updated = START + timedelta(minutes=n * 7 + rng.randint(0, 6))
    language = "it" if italian else "en"
    common = {"category": topic.category, "product": product, "language": language, "updated_at": updated}
    if roll < 0.06:
        return SearchDocument(
            id=f"faq:{n}", kind="faq", title=title, body=_body(rng, topic, italian, product, rng.randint(4, 12)),
            tags=list(rng.sample(topic.it_words if italian else topic.en_words, 3)),
            audience=rng.choice(("public", "public", "customers", "company")),
            company_id=rng.randint(1, COMPANIES), requester_id=None, status="published",
            url=f"/kb/{n}", **common,
        )
    if roll < 0.16:
        page = rng.randint(1, 80)
        return SearchDocument(
            id=f"manual:{n // 80}:p{page}", kind="manual_page", title=f"{product} — {title}",
            body=_body(rng, topic, italian, product, rng.randint(15, 40)), tags=[],
            audience=rng.choice(("public", "customers")), company_id=None, requester_id=None,
            status="published", url=f"/manuals/{n // 80}#page={page}", page=page, **common,
        )
    requester = rng.randint(1, REQUESTERS)
    resolution_template = rng.choice(IT_RESOLUTIONS if italian else EN_RESOLUTIONS)
    resolution = _fill(resolution_template, rng, italian, product).format(
        w=rng.choice(topic.it_words if italian else topic.en_words)
    )
    return SearchDocument(
        id=f"ticket:{n}", kind="ticket", title=title, body=_body(rng, topic, italian, product, rng.randint(3, 14)),
        tags=[], audience="company", company_id=company_of(requester), requester_id=requester,
        status=rng.choice(STATUSES), url=f"/tickets/{n}", resolution=resolution,
        staff_body=_body(rng, topic, italian, product, rng.randint(0, 3)), **common,
    )


def company_of(requester_id: int) -> int:
    return (requester_id - 1) % COMPANIES + 1


def generate(count: int, seed: int = 1) -> Iterator[SearchDocument]:
    """`count` documents; the same seed always yields the same documents. Ids are unique."""
    rng = random.Random(seed)
    seen: set[str] = set()
    for n in range(count):
        doc = make_document(n, rng)
        if doc.id in seen:  # two pages of one manual drew the same number
            doc = make_document(n, rng)
            if doc.id in seen:
                continue
        seen.add(doc.id)
        yield doc


@dataclass(frozen=True)
class BenchQuery:
    text: str
    purpose: str  # "search" or "suggest"
    shape: str  # word, typo, prefix, phrase, question


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def query_mix(count: int, seed: int = 7) -> list[BenchQuery]:
    """A realistic mix: single words, typos, prefixes while typing, two-word phrases, full questions."""
    rng = random.Random(seed)
    queries: list[BenchQuery] = []
    for _ in range(count):
        topic = rng.choice(TOPICS)
        italian = rng.random() < 0.8
        words = [w.lower() for w in (topic.it_words if italian else topic.en_words)]
        shape = rng.choice(("word", "typo", "prefix", "phrase", "question", "prefix"))
        if shape == "word":
            queries.append(BenchQuery(rng.choice(words) + " ", "search", shape))
        elif shape == "typo":
            queries.append(BenchQuery(_typo(max(rng.sample(words, 3), key=len), rng) + " ", "search", shape))
        elif shape == "prefix":
            first, second = rng.sample(words, 2)
            typed = f"{first} {second[: rng.randint(2, max(2, len(second) - 1))]}"
            queries.append(BenchQuery(typed, "suggest", shape))
        elif shape == "phrase":
            queries.append(BenchQuery(" ".join(rng.sample(words, 2)) + " ", "search", shape))
        else:
            product = rng.choice(PRODUCTS)
            queries.append(BenchQuery(_title(rng, topic, italian, product).replace("{w}", ""), "suggest", shape))
    return queries


def principals(seed: int = 3) -> list[Principal]:
    """Staff, anonymous and a few requesters (some seeing their company's tickets)."""
    rng = random.Random(seed)
    people: list[Principal] = [Principal.staff(1), Principal.anonymous()]
    for _ in range(6):
        requester = rng.randint(1, REQUESTERS)
        people.append(Principal.requester(requester, company_of(requester), rng.random() < 0.5))
    return people
