"""Demo categories, products and tickets for the demo companies of app/demo.py; safe to run again.

Rows are written directly (no mail is queued for fictitious people); each ticket still goes to the
search outbox, so the solved ones become searchable knowledge as in real use.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from app.accounts.models import User
from app.contracts import clock
from app.searching.outbox import enqueue
from app.tickets.choices import Priority, Severity
from app.tickets.models import Category, Channel, Comment, EventKind, Product, Ticket, TicketEvent, WorkLog
from app.tickets.service import SEARCH_SOURCE, opening_sla
from app.tickets.workflow import Status, TicketType

CATEGORIES = {"Albo pretorio": "Official notice board", "Protocollo": "Document register",
              "Paghe e stipendi": "Payroll", "Accesso e credenziali": "Access and credentials",
              "Stampe e report": "Printing and reports", "Anagrafe": "Civil registry"}
PRODUCTS = {"Albo Online": "Online Notice Board", "Protocollo Web": "Web Register", "Cedolini Web": "Web Payslips",
            "Portale dipendenti": "Employee portal", "Contabilità Enti": "Public Body Accounting"}
MARCO, GIULIA = "tecnico@sportello.example", "tecnica2@sportello.example"
MARIO, LAURA, ANNA = ("mario.rossi@comune.valdora.example", "laura.bianchi@comune.valdora.example",
                      "anna.verdi@studiobellini.example")


@dataclass(frozen=True)
class DemoTicket:
    title: str
    requester: str
    ticket_type: TicketType
    category: str
    product: str
    description: str
    status: Status = Status.APERTO
    priority: Priority = Priority.MEDIA
    severity: Severity = Severity.NON_BLOCCANTE
    assignee: str | None = None
    resolution: str = ""
    days_ago: int = 1
    channel: Channel = Channel.PORTAL
    comments: tuple[tuple[str, str, bool], ...] = field(default_factory=tuple)  # (author, text, internal)
    hours: float = 0.0


TICKETS: tuple[DemoTicket, ...] = (
    DemoTicket(
        "Pubblicazione all'albo non visibile sul sito", LAURA, TicketType.ANOMALIA, "Albo pretorio", "Albo Online",
        "Ho pubblicato la determina n. 245 questa mattina ma sul sito istituzionale non compare nell'elenco "
        "degli atti in pubblicazione.", Status.CHIUSO, Priority.URGENTE, Severity.BLOCCANTE, MARCO,
        "La sincronizzazione con il sito si era fermata per il certificato scaduto del servizio di pubblicazione. "
        "Rinnovato il certificato e rilanciata la sincronizzazione: gli atti compaiono entro 5 minuti.", 40,
        comments=((MARCO, "Stiamo verificando il servizio di sincronizzazione con il sito.", False),
                  (MARCO, "Certificato del connettore scaduto il 12: rinnovato.", True),
                  (LAURA, "Confermo, ora la determina è visibile. Grazie!", False)), hours=1.5,
    ),
    DemoTicket(
        "Come annullare un protocollo registrato per errore", MARIO, TicketType.CHIARIMENTO, "Protocollo",
        "Protocollo Web", "Abbiamo registrato in uscita una PEC destinata a un altro ufficio. È possibile annullare "
        "la registrazione?", Status.CHIUSO, assignee=GIULIA,
        resolution="Un protocollo non si cancella: si annulla. Da Protocollo Web aprire la registrazione, menu "
        "Azioni > Annulla, indicare il motivo e gli estremi del provvedimento di autorizzazione. La registrazione "
        "resta visibile con la dicitura ANNULLATO.", days_ago=30,
    ),
    DemoTicket(
        "Cedolino di ottobre con trattenuta sindacale doppia", MARIO, TicketType.ANOMALIA, "Paghe e stipendi",
        "Cedolini Web", "Nel cedolino di ottobre di due dipendenti la trattenuta sindacale compare due volte.",
        Status.RISOLTO, Priority.URGENTE, Severity.NON_BLOCCANTE, MARCO,
        "La voce 0456 era stata importata due volte dal flusso mensile. Eliminata la voce duplicata e "
        "rielaborati i due cedolini: la differenza viene restituita con il cedolino di novembre.", 5,
        comments=((MARCO, "Può indicarci le matricole dei due dipendenti?", False),
                  (MARIO, "Matricole 1043 e 1187.", False)), hours=2.0,
    ),
    DemoTicket(
        "Password del portale dipendenti scaduta", LAURA, TicketType.CHIARIMENTO, "Accesso e credenziali",
        "Portale dipendenti", "Una collega non riesce più ad accedere al portale dipendenti: il messaggio dice "
        "che la password è scaduta.", Status.CHIUSO, Priority.MEDIA, assignee=GIULIA,
        resolution="Dalla pagina di accesso usare il collegamento Password dimenticata: arriva una mail con il link "
        "per sceglierne una nuova, valido un'ora. Le password scadono ogni 90 giorni.", days_ago=60,
    ),
    DemoTicket(
        "Stampa del registro giornaliero di protocollo vuota", MARIO, TicketType.ANOMALIA, "Stampe e report",
        "Protocollo Web", "Il PDF del registro giornaliero di ieri esce senza righe, anche se le registrazioni ci "
        "sono.", Status.IN_CORSO, Priority.MEDIA, Severity.NON_BLOCCANTE, MARCO, days_ago=2,
        comments=((MARCO, "Riproduciamo il problema: sembra legato al filtro per data.", False),
                  (MARCO, "Bug nel filtro con fuso orario: segnalato allo sviluppo, ticket interno 5521.", True)),
        hours=0.5,
    ),
    DemoTicket(
        "Richiesta nuovo utente per l'ufficio anagrafe", LAURA, TicketType.RICHIESTA, "Accesso e credenziali",
        "Portale dipendenti", "Chiediamo l'abilitazione di un nuovo operatore dell'ufficio anagrafe, "
        "Giovanni Sala, con profilo consultazione.", Status.ATTESA_CLIENTE, assignee=GIULIA, days_ago=3,
        comments=((GIULIA, "Ci serve il codice fiscale del nuovo operatore e l'autorizzazione del responsabile.",
                   False),),
    ),
    DemoTicket(
        "Certificato anagrafico senza timbro digitale", MARIO, TicketType.ANOMALIA, "Anagrafe", "Contabilità Enti",
        "I certificati emessi dallo sportello online da stamattina non riportano il timbro digitale.",
        Status.APERTO, Priority.URGENTE, Severity.BLOCCANTE, days_ago=0,
    ),
    DemoTicket(
        "Esportazione F24 enti locali", LAURA, TicketType.RICHIESTA, "Stampe e report", "Contabilità Enti",
        "Vorremmo poter esportare il modello F24 EP in formato telematico direttamente dalla contabilità.",
        Status.ATTESA_PROGRAMMAZIONE, Priority.NON_URGENTE, assignee=MARCO, days_ago=20, channel=Channel.EMAIL,
    ),
    DemoTicket(
        "Payslips not visible to employees", ANNA, TicketType.ANOMALIA, "Paghe e stipendi", "Portale dipendenti",
        "Since yesterday our client's employees cannot see the October payslips in the employee portal.",
        Status.CHIUSO, Priority.URGENTE, Severity.BLOCCANTE, GIULIA,
        "The October payslips had been generated but not published. Published them from Cedolini Web > "
        "Pubblicazione; employees now see them and received the notification.", 25, hours=1.0,
    ),
    DemoTicket(
        "Come aggiungere una nuova voce retributiva", ANNA, TicketType.CHIARIMENTO, "Paghe e stipendi",
        "Cedolini Web", "Dobbiamo gestire un nuovo premio di produzione: come si crea una voce retributiva?",
        Status.RISOLTO, assignee=MARCO,
        resolution="In Cedolini Web: Tabelle > Voci retributive > Nuova. Scegliere il tipo competenza, "
        "l'imponibilità contributiva e fiscale, poi associarla ai dipendenti dal loro profilo.", days_ago=2,
    ),
    DemoTicket(
        "Elaborazione TFR bloccata", ANNA, TicketType.ANOMALIA, "Paghe e stipendi", "Cedolini Web",
        "Il calcolo del TFR di fine anno si ferma al 60% senza messaggi di errore.", Status.ATTESA_SUPPORTO,
        Priority.MEDIA, Severity.BLOCCANTE, MARCO, days_ago=1,
        comments=((MARCO, "Il cliente ha un contratto di assistenza in scadenza: verificare con l'amministrazione "
                   "prima di interventi straordinari.", True),),
    ),
    DemoTicket(
        "Segnalazione doppia: albo non aggiornato", MARIO, TicketType.ANOMALIA, "Albo pretorio", "Albo Online",
        "Anche a me non compare la determina 245 sul sito.", Status.NON_CONSIDERARE, assignee=MARCO, days_ago=40,
        channel=Channel.PHONE,
    ),
)


async def _user(email: str | None) -> User | None:
    return await User.get_or_none(email=email) if email else None


async def _create(spec: DemoTicket, categories: dict[str, Category], products: dict[str, Product]) -> None:
    requester = await _user(spec.requester)
    if requester is None or await Ticket.exists(title=spec.title):
        return
    assignee = await _user(spec.assignee)
    opened = datetime.now(UTC).replace(microsecond=0) - timedelta(days=spec.days_ago, hours=3)
    taken = opened + timedelta(hours=1) if spec.status is not Status.APERTO else None
    done = opened + timedelta(days=1) if spec.status in (Status.RISOLTO, Status.CHIUSO, Status.NON_CONSIDERARE) else None
    async with in_transaction():
        ticket = await Ticket.create(
            title=spec.title, ticket_type=spec.ticket_type, priority=spec.priority, severity=spec.severity,
            status=spec.status, channel=spec.channel, category=categories[spec.category],
            product=products[spec.product], description=spec.description, requester=requester,
            company_id=requester.company_id, opened_by=assignee if spec.channel is Channel.PHONE and assignee else requester,
            assignee=assignee, taken_by=assignee if taken else None, taken_at=taken, resolution=spec.resolution,
            **await opening_sla(requester.company_id, spec.priority, opened),
            resolved_at=done if spec.status in (Status.RISOLTO, Status.CHIUSO) else None,
            closed_at=done if spec.status in (Status.CHIUSO, Status.NON_CONSIDERARE) else None,
            last_interaction_at=done or opened + timedelta(hours=2),
        )
        await Ticket.filter(id=ticket.id).update(number=ticket.id, created_at=opened, updated_at=done or opened)
        created = await TicketEvent.create(ticket=ticket, actor=requester, kind=EventKind.CREATED, to_status="aperto")
        await TicketEvent.filter(id=created.id).update(created_at=opened)
        if spec.status is not Status.APERTO:
            moved = await TicketEvent.create(ticket=ticket, actor=assignee, kind=EventKind.STATUS,
                                             from_status="aperto", to_status=spec.status.value)
            await TicketEvent.filter(id=moved.id).update(created_at=done or taken or opened)
        await clock.store_late_instants([ticket.id])
        for position, (author_email, text, internal) in enumerate(spec.comments, start=1):
            author = await _user(author_email)
            if author is not None:
                comment = await Comment.create(ticket=ticket, author=author, body=text, internal=internal)
                await Comment.filter(id=comment.id).update(created_at=opened + timedelta(hours=position * 2))
        if spec.hours and assignee is not None:
            await WorkLog.create(ticket=ticket, technician=assignee, day=(taken or opened).date(), hours=spec.hours,
                                 note="Analisi e intervento")
        await enqueue(SEARCH_SOURCE, ticket.id)


async def load_demo_tickets() -> None:
    categories = {name: (await Category.update_or_create(name=name, defaults={"name_en": english}))[0]
                  for name, english in CATEGORIES.items()}
    products = {name: (await Product.update_or_create(name=name, defaults={"name_en": english}))[0]
                for name, english in PRODUCTS.items()}
    for spec in TICKETS:
        await _create(spec, categories, products)
    duplicate = await Ticket.get_or_none(title="Segnalazione doppia: albo non aggiornato")
    original = await Ticket.get_or_none(title="Pubblicazione all'albo non visibile sul sito")
    if duplicate is not None and original is not None and duplicate.duplicate_of_id is None:
        await Ticket.filter(id=duplicate.id).update(duplicate_of_id=original.id)
        await TicketEvent.create(ticket=duplicate, kind=EventKind.DUPLICATE, detail=original.code)
