"""Background work of the knowledge base: the text of uploaded PDFs, page by page."""

from app.jobs import Job
from app.kb.documents import extract_pending, extraction_queued
from app.settings import Settings


def jobs(settings: Settings) -> list[Job]:
    return [Job("kb-pdf-text", lambda: extract_pending(settings), interval=60.0, wake=extraction_queued)]
