"""Default stop words and synonyms (Italian and English) for a support portal.

Plain data plus `Lexicon`, which the admin edits; the app persists it and passes it to
engines with `configure(lexicon)`. Synonym entries are groups: every word in an entry
(key and values) finds the others.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

DEFAULT_SYNONYMS: dict[str, list[str]] = {
    "password": ["credenziali", "parola chiave", "parola d'ordine", "pin"],
    "pec": ["posta certificata", "posta elettronica certificata"],
    "busta paga": ["cedolino", "cedolini", "payslip"],
    "login": ["accesso", "accedere", "autenticazione", "sign in", "log in"],
    "presenze": ["timbrature", "timbratura", "cartellino", "attendance"],
    "fattura": ["fatture", "fatturazione", "invoice"],
    "stampante": ["stampa", "printer"],
    "errore": ["anomalia", "problema", "guasto", "error", "bug"],
    "email": ["e-mail", "posta elettronica", "mail"],
    "utente": ["utenza", "account", "user"],
    "ferie": ["permessi", "assenze", "vacation"],
    "spid": ["identità digitale"],
    "firma digitale": ["firma elettronica", "digital signature"],
    "aggiornamento": ["update", "upgrade", "nuova versione"],
    "installazione": ["installare", "setup", "install"],
    "scaricare": ["download", "esportare"],
    "caricare": ["upload", "allegare", "importare"],
    "protocollo": ["protocollazione", "registro protocollo"],
    "backup": ["copia di sicurezza", "salvataggio"],
    "ticket": ["richiesta", "segnalazione", "caso"],
}

ITALIAN_STOP_WORDS: frozenset[str] = frozenset(
    """a ad al alla alle allo agli ai all anche che chi ci come con contro cui da dal dalla dalle dallo
    dagli dai dell della delle dello degli dei del di e ed era essere gli ha hanno ho i il in io la le lo
    loro ma mi mio ne nei nel nella nelle nello negli non o per più poi quale quando quello questo se si
    sono su sul sulla sulle sullo sugli sui suo tra fra tu un una uno vi voi è c l d un' dell' all' nell'
    sull' dall' po come""".split()
)

ENGLISH_STOP_WORDS: frozenset[str] = frozenset(
    """a an and are as at be by for from has have how i in is it its of on or that the this to was
    were what when where which who why will with my your can do does""".split()
)


def fold(text: str) -> str:
    """Lowercase and strip accents, the same normalisation the analyzers apply."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Lexicon:
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    stop_words: set[str] = field(default_factory=set)

    @classmethod
    def default(cls) -> Lexicon:
        return cls(
            synonyms={key: list(values) for key, values in DEFAULT_SYNONYMS.items()},
            stop_words=set(ITALIAN_STOP_WORDS | ENGLISH_STOP_WORDS),
        )

    def groups(self) -> list[tuple[str, ...]]:
        """Each entry as a folded group of equivalent phrases (key first)."""
        result: list[tuple[str, ...]] = []
        for key, values in self.synonyms.items():
            phrases = [" ".join(fold(p).split()) for p in (key, *values)]
            result.append(tuple(dict.fromkeys(p for p in phrases if p)))
        return result

    def equivalents(self) -> dict[str, tuple[str, ...]]:
        """Folded phrase -> every phrase it stands for (itself included), symmetric."""
        table: dict[str, list[str]] = {}
        for group in self.groups():
            for phrase in group:
                merged = table.setdefault(phrase, [phrase])
                merged.extend(p for p in group if p not in merged)
        return {phrase: tuple(alternatives) for phrase, alternatives in table.items()}

    def folded_stop_words(self) -> frozenset[str]:
        return frozenset(fold(word) for word in self.stop_words)
