from tortoise import migrations
from tortoise.migrations import operations as ops
from app.kb.models import TextStatus
from tortoise import fields

# Attachments uploaded before this migration: PDFs and text files wait for the background extraction,
# every other type keeps the default (no text to extract).
QUEUE_EXISTING_TEXT = (
    "UPDATE ticket_attachment SET text_status = 'pending' "
    "WHERE content_type = 'application/pdf' OR content_type LIKE 'text/%'"
)

class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('tickets', '0002_ticket_planned_for')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Attachment',
            name='text',
            field=fields.TextField(default='', description='Extracted text of a PDF or text file, searched with the ticket', db_default='', unique=False),
        ),
        ops.AddField(
            model_name='Attachment',
            name='text_status',
            field=fields.CharEnumField(default=TextStatus.NOT_PDF, description='NOT_PDF: not_pdf\nPENDING: pending\nREADY: ready\nNO_TEXT: no_text\nFAILED: failed', db_default=TextStatus.NOT_PDF, enum_type=TextStatus, max_length=7),
        ),
        ops.RunSQL(QUEUE_EXISTING_TEXT, reverse_sql=ops.RunSQL.noop),
    ]
