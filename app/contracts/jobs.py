"""Background work of SLA plans: the escalation mails."""

from app.contracts.escalation import escalate
from app.jobs import Job
from app.settings import Settings

# A minute: the warning and breach mails go within a minute of their moment.
ESCALATION_INTERVAL_SECONDS = 60.0


def jobs(settings: Settings) -> list[Job]:
    return [Job("sla-escalation", lambda: escalate(settings), interval=ESCALATION_INTERVAL_SECONDS)]
