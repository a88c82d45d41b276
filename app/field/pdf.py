"""The intervention form as a PDF (fpdf2): the work, hours, expenses with their totals, signature boxes.

Core fonts only (no font file to ship): they speak Windows-1252, which holds Italian and the euro sign; any
other character is written as "?"."""

from dataclasses import dataclass

from fpdf import FPDF
from fpdf.fonts import FontFace

from app.field.models import Intervention
from app.field.service import clock, euro, total
from app.i18n import _, format_when
from app.tickets.models import Ticket, WorkLog
from app.tickets.service import worked_hours

ENCODING = "windows-1252"
HEADING = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))


@dataclass(frozen=True)
class FormData:
    ticket: Ticket  # requester, company and assignee loaded
    work_logs: list[WorkLog]  # technician loaded
    interventions: list[Intervention]  # technician and expenses loaded


def _text(value: object) -> str:
    return str(value).encode(ENCODING, "replace").decode(ENCODING)


class _Form(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = ENCODING
        self.form_title = title
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("Sportello")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.cell(0, 6, _text(f"{self.form_title} · {self.page_no()}/{{nb}}"), align="C")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("helvetica", "B", 12)
        self.cell(0, 8, _text(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("helvetica", size=10)

    def paragraph(self, text: str) -> None:
        self.multi_cell(0, 5, _text(text or "—"), new_x="LMARGIN", new_y="NEXT")

    def rows(self, header: list[str], body: list[list[str]], widths: tuple[int, ...]) -> None:
        with self.table(col_widths=widths, headings_style=HEADING, line_height=6, text_align="LEFT") as table:
            table.row([_text(h) for h in header])
            for values in body:
                table.row([_text(v) for v in values])


def intervention_form(data: FormData) -> bytes:
    ticket = data.ticket
    pdf = _Form(_("Intervention form") + f" {ticket.code}")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 15)
    pdf.multi_cell(0, 8, _text(f"{_('Intervention form')} — {ticket.code}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=10)
    pdf.multi_cell(0, 6, _text(ticket.title), new_x="LMARGIN", new_y="NEXT")
    company = ticket.company.name if ticket.company else ""
    pdf.rows([_("Requester"), _("Company"), _("Status"), _("Opened")],
             [[ticket.requester.full_name, company, ticket.status.label, format_when(ticket.created_at)]],
             (30, 30, 20, 20))
    pdf.heading(_("Description"))
    pdf.paragraph(ticket.description)
    pdf.heading(_("Solution information"))
    pdf.paragraph(ticket.resolution)

    pdf.heading(_("Work log"))
    hours = worked_hours(data.work_logs)
    pdf.rows([_("Date"), _("Technician"), _("Hours"), _("Note")],
             [[format_when(w.day), w.technician.full_name, f"{w.hours:.2f}", w.note] for w in data.work_logs]
             + [["", _("Total hours"), f"{hours:.2f}", ""]], (18, 25, 10, 47))

    if data.interventions:
        pdf.heading(_("Interventions"))
        pdf.rows([_("When"), _("Technician"), _("Place"), _("State")],
                 [[f"{format_when(i.starts_at)} – {clock(i.ends_at)}", i.technician.full_name, i.place, i.state.label]
                  for i in data.interventions], (28, 22, 35, 15))

    expenses = [(i, e) for i in data.interventions for e in i.expenses]
    pdf.heading(_("Expenses"))
    everything = total([e for _i, e in expenses])
    pdf.rows([_("Intervention"), _("Type"), _("Note"), _("Amount")],
             [[format_when(i.starts_at), e.kind.label, e.note, euro(e.amount)] for i, e in expenses]
             + [["", "", _("Total expenses"), euro(everything)]], (25, 18, 40, 17))

    pdf.ln(8)
    if pdf.will_page_break(40):
        pdf.add_page()
    top, width = pdf.get_y(), (pdf.epw - 10) / 2
    for column, label in enumerate((_("Technician's signature"), _("Customer's signature"))):
        left = pdf.l_margin + column * (width + 10)
        pdf.set_xy(left, top)
        pdf.cell(width, 6, _text(label))
        pdf.rect(left, top + 7, width, 28)
        pdf.set_xy(left, top + 37)
        pdf.set_font("helvetica", size=8)
        pdf.cell(width, 5, _text(_("Date and name in block letters")))
        pdf.set_font("helvetica", size=10)
    return bytes(pdf.output())
