"""Settings, read from the environment (and a `.env` file) once per process."""

import secrets
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = Field(
        "development", description="`production` requires SECRET_KEY and turns on secure cookies."
    )
    data_dir: Path = Field(Path("data"), description="Database file, search index, uploads, mail sink.")
    database_url: str = Field(
        "", description="Tortoise URL; empty means sqlite://DATA_DIR/sportello.sqlite3 (WAL, synchronous=NORMAL)."
    )
    secret_key: str = Field("", description="Signs sessions; in development a random key is kept in DATA_DIR.")
    base_url: str = Field("http://127.0.0.1:8000", description="Public address used in mail links and CSRF checks.")
    smtp_url: str = Field("", description="smtp://user:pass@host:port (smtps:// for TLS); empty = local mail sink.")
    mail_from: str = Field("Sportello <sportello@localhost>", description="Sender of every mail.")
    team_email: str = Field("", description="Address notified of new tickets; empty = every technician.")
    search_engine: Literal["embedded", "meilisearch"] = Field("embedded", description="Search engine in use.")
    meilisearch_url: str = Field("", description="Meilisearch address, used when SEARCH_ENGINE=meilisearch.")
    meilisearch_key: str = Field("", description="Meilisearch API key.")
    search_semantic: bool = Field(
        True, description="Hybrid search: lexical ranking fused with e5 vectors (lexical only if the model fails)."
    )
    default_locale: Literal["it", "en"] = Field("it", description="Language for visitors and new users.")
    registration: Literal["open", "approval", "closed"] = Field(
        "approval",
        description="open: any allowed address may register; approval: an admin approves each request; closed: no form.",
    )
    registration_domains: str = Field(
        "", description="Comma-separated email domains allowed to register (empty = any)."
    )
    run_jobs: bool = Field(True, description="Run the mail sender and other background jobs in this process.")
    template_reload: bool = Field(False, description="Re-read changed templates (sportello serve --reload sets it).")
    upload_max_mb: int = Field(25, description="Largest accepted upload, in megabytes.")
    trusted_proxies: str = Field(
        "", description="Comma-separated addresses of reverse proxies whose X-Forwarded-For/-Proto are believed "
        "(empty = none: the client address is the peer's).",
    )
    inbound_imap_url: str = Field(
        "", description="imap://user:pass@host:port/INBOX (imaps:// for TLS): mail read there becomes tickets and "
        "comments; empty = off.",
    )
    inbound_address: str = Field(
        "", description="The support address that mailbox receives; replies go to its +token form "
        "(empty = MAIL_FROM's address).",
    )
    inbound_poll_seconds: float = Field(60.0, description="How often the support mailbox is read.")
    inbound_rate_per_hour: int = Field(
        20, description="Mails per sender and hour beyond which further mail from that sender is ignored."
    )
    inbound_unknown: Literal["answer", "register"] = Field(
        "answer", description="Mail from an address without an account: answer (explain, no ticket) or register "
        "(a registration request, as the portal's form).",
    )
    auto_close_days: int = Field(3, description="Resolved tickets close by themselves after this many quiet days.")
    sla_warning_minutes: int = Field(
        60, ge=1, description="Working minutes before an SLA target breaks when the assignee (or the team) is warned.",
    )
    live_heartbeat_seconds: float = Field(
        15, gt=0, description="A ticket page's live stream sends a heartbeat (and rechecks the session) this often."
    )
    live_stream_seconds: float = Field(
        300, ge=0, description="A live stream ends after this long; the browser reconnects and misses nothing."
    )

    @model_validator(mode="after")
    def _require_secret_in_production(self) -> "Settings":
        if self.environment == "production" and len(self.secret_key) < 32:
            raise ValueError("SECRET_KEY (32+ characters) is required in production")
        return self

    @property
    def db_url(self) -> str:
        # WAL with synchronous=NORMAL: a commit no longer waits for the disk (SQLite's advice for WAL);
        # a power cut may lose the last commits, never the database's consistency.
        return self.database_url or f"sqlite://{self.data_dir / 'sportello.sqlite3'}?synchronous=NORMAL"

    @property
    def signing_key(self) -> str:
        return self.secret_key or _development_key(self.data_dir)

    @property
    def allowed_domains(self) -> frozenset[str]:
        return frozenset(d.strip().lower() for d in self.registration_domains.split(",") if d.strip())

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [a.strip() for a in self.trusted_proxies.split(",") if a.strip()]

    @property
    def support_address(self) -> str:
        return (self.inbound_address or parseaddr(self.mail_from)[1]).strip().lower()

    @property
    def mail_sink_dir(self) -> Path:
        return self.data_dir / "mail"


def _development_key(data_dir: Path) -> str:
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
