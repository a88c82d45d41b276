from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

# Attachments uploaded before this migration hang on the ticket alone. Each is linked to the comment of the same
# ticket and the same author whose creation is closest in time to the upload, within LINK_WINDOW either way
# (a comment and its files were saved in one request, milliseconds apart); it then takes the comment's
# `internal`, so the files of old internal notes become staff-only. An attachment with no such comment (a file
# of the ticket's opening, or attached on its own) keeps no comment and stays public.
LINK_WINDOW = timedelta(seconds=5)

CANDIDATES = (
    "SELECT a.id AS attachment_id, a.created_at AS uploaded_at, c.id AS comment_id, c.internal AS internal, "
    "c.created_at AS written_at FROM ticket_attachment a JOIN ticket_comment c "
    "ON c.ticket_id = a.ticket_id AND c.author_id = a.uploaded_by_id WHERE a.comment_id IS NULL"
)


def _instant(value: Any) -> datetime:
    """A timestamp as the driver returns it: a datetime (asyncpg) or ISO text (SQLite)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def closest_comments(rows: list[dict[str, Any]]) -> dict[int, tuple[int, bool]]:
    """attachment id -> (comment id, internal) of the comment written closest to the upload, within the window."""
    best: dict[int, tuple[timedelta, int, bool]] = {}
    for row in rows:
        gap = abs(_instant(row["uploaded_at"]) - _instant(row["written_at"]))
        if gap > LINK_WINDOW:
            continue
        current = best.get(row["attachment_id"])
        if current is None or (gap, row["comment_id"]) < current[:2]:
            best[row["attachment_id"]] = (gap, row["comment_id"], bool(row["internal"]))
    return {attachment: (comment, internal) for attachment, (_gap, comment, internal) in best.items()}


async def link_existing_attachments(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    rows = await client.execute_query_dict(CANDIDATES)
    by_comment: dict[tuple[int, bool], list[int]] = {}
    for attachment, owner in closest_comments(rows).items():
        by_comment.setdefault(owner, []).append(attachment)
    for (comment, internal), attachments in by_comment.items():
        # Integers read from the database just above: nothing here comes from a user.
        ids = ", ".join(str(int(a)) for a in sorted(attachments))
        flag = "TRUE" if internal else "FALSE"
        await client.execute_script(
            f"UPDATE ticket_attachment SET comment_id = {int(comment)}, internal = {flag} WHERE id IN ({ids})"
        )


class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('tickets', '0003_attachment_text')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Attachment',
            name='comment',
            field=fields.ForeignKeyField('tickets.Comment', source_field='comment_id', null=True, db_constraint=True, to_field='id', related_name='attachments', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='Attachment',
            name='internal',
            field=fields.BooleanField(default=False, db_default=False, description='Came with an internal note: never shown, served or mailed to requesters'),
        ),
        ops.RunPython(link_existing_attachments, reverse_code=ops.RunPython.noop),
    ]
