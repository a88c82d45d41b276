"""One conformance suite: every engine must pass it (Meilisearch only where a server exists).

Checks which documents come back (and which never do); order only where both engines agree
by design (exact before typo, title before body).
"""

from __future__ import annotations

import re

from search.engine import SearchEngine
from search.service import run_search, similar_to
from search.types import Principal, SearchQuery, SearchResult
from tests.search.conftest import make_doc

ANYONE = Principal.anonymous()
STAFF = Principal.staff(1)


async def find(engine: SearchEngine, text: str, principal: Principal = ANYONE, **options: object) -> SearchResult:
    return await run_search(engine, SearchQuery(text, principal, **options))  # type: ignore[arg-type]


def ids(result: SearchResult) -> list[str]:
    return [hit.id for hit in result.hits]


async def test_exact_match_ranks_before_typo_match(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Guida rapida", "Sostituire il nostro toner ogni mese."),
        make_doc("faq:2", "Guida veloce", "Sostituire il nastro ogni mese."),
    ])
    result = await find(engine, "nastro ")
    assert ids(result)[0] == "faq:2"  # the embedded engine leaves typo variants out altogether (test_query_stats)


async def test_typo_budget_follows_word_length(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Stampante di rete", "Configurazione della stampante condivisa."),
        make_doc("faq:2", "Accesso VPN", "Collegarsi alla vpn aziendale."),
    ])
    assert ids(await find(engine, "stampnte ")) == ["faq:1"]  # 8 letters, 1 typo
    assert ids(await find(engine, "confgurazone ")) == ["faq:1"]  # 12 letters, 2 typos
    assert ids(await find(engine, "stmpnte ")) == []  # 7 letters, 2 typos: too many
    assert ids(await find(engine, "vpm ")) == []  # under 5 letters: no typo allowed
    assert ids(await find(engine, "vpn ")) == ["faq:2"]


async def test_prefix_on_last_word(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Stampante bloccata", "Carta inceppata nel cassetto."),
        make_doc("faq:2", "Posta certificata", "Configurare la casella."),
    ])
    assert ids(await find(engine, "stamp")) == ["faq:1"]
    assert ids(await find(engine, "carta incep", purpose="suggest")) == ["faq:1"]


async def test_accents_fold(engine: SearchEngine) -> None:
    await engine.upsert([make_doc("faq:1", "Perché la città non compare?", "È un problema noto.")])
    assert ids(await find(engine, "perche ")) == ["faq:1"]
    assert ids(await find(engine, "CITTA ")) == ["faq:1"]


async def test_italian_plural_finds_singular(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Emettere una fattura", "La fattura elettronica va inviata allo SDI."),
        make_doc("faq:2", "Orari", "Lo sportello apre alle nove."),
    ])
    assert ids(await find(engine, "fatture ")) == ["faq:1"]


async def test_synonyms_expand_the_query(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Scaricare il cedolino", "Il documento mensile dello stipendio."),
        make_doc("faq:2", "Recuperare la password", "Link di reset."),
        make_doc("faq:3", "Orari dello sportello", "Apre alle nove."),
    ])
    assert ids(await find(engine, "busta paga ")) == ["faq:1"]
    assert ids(await find(engine, "credenziali ")) == ["faq:2"]


async def test_a_synonym_phrase_is_found_in_any_field_and_in_staff_notes(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Documenti mensili", "Dove trovo la busta paga di marzo?"),
        make_doc("ticket:2", "Richiesta", "Nessun dettaglio.", staff_body="Inviata la busta paga corretta.",
                 audience="company", company_id=7),
        make_doc("faq:3", "Busta per la paga", "Una busta. La paga arriva dopo."),  # both words, not the phrase
    ])
    assert ids(await find(engine, "cedolino ")) == ["faq:1"]
    assert sorted(ids(await find(engine, "cedolino ", STAFF))) == ["faq:1", "ticket:2"]


async def test_a_three_word_synonym_phrase_matches_only_as_written(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Casella", "Configurare la posta elettronica certificata dell'ufficio."),
        make_doc("faq:2", "Posta elettronica", "Certificata dal fornitore."),  # across title and body
        make_doc("faq:3", "Casella", "Certificata la posta elettronica."),  # out of order
    ])
    assert ids(await find(engine, "pec ")) == ["faq:1"]


async def test_a_long_suggestion_text_ranks_documents_by_how_many_words_they_share(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Stampante di rete non stampa", "Reinstallare il driver dopo l'aggiornamento."),
        make_doc("faq:2", "Driver della stampante", "Scaricare il driver dal sito."),
        make_doc("faq:3", "Orari dello sportello", "Apre alle nove."),
    ])
    typed = "stampante rete driver aggiornamento "
    assert ids(await find(engine, typed, purpose="suggest")) == ["faq:1", "faq:2"]


async def test_stop_words_are_ignored(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Stampante bloccata", "Carta inceppata."),
        make_doc("faq:2", "Il modulo della domanda", "Compilare il modulo."),
    ])
    assert ids(await find(engine, "la della stampante ")) == ["faq:1"]


async def test_title_hit_ranks_before_body_hit(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Guida generale", "Come configurare il firewall aziendale."),
        make_doc("faq:2", "Configurare il firewall", "Guida generale aziendale."),
    ])
    assert ids(await find(engine, "firewall ")) == ["faq:2", "faq:1"]


async def test_filters_and_facet_counts(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Backup giornaliero", "Backup notturno.", category="sistemi", product="server"),
        make_doc("faq:2", "Backup del database", "Backup completo.", category="sistemi", product="db"),
        make_doc("document:3", "Manuale backup", "Backup e ripristino.", kind="document", category="manuali"),
        make_doc("faq:4", "Orari", "Apertura uffici.", category="generale"),
    ])
    everything = await find(engine, "backup ")
    assert everything.total == 3
    assert everything.facets["kind"] == {"faq": 2, "document": 1}
    assert everything.facets["category"] == {"sistemi": 2, "manuali": 1}
    assert everything.facets["product"] == {"server": 1, "db": 1}
    only_faq = await find(engine, "backup ", kinds=("faq",), product="db")
    assert ids(only_faq) == ["faq:2"] and only_faq.total == 1
    by_category = await find(engine, "backup ", category="manuali")
    assert ids(by_category) == ["document:3"]
    browse = await find(engine, "")
    assert browse.total == 4 and sum(browse.facets["kind"].values()) == 4


async def test_highlights_mark_typo_and_prefix_matches_and_escape_html(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("faq:1", "Password <b>dimenticata</b>", "Usa <script>alert(1)</script> il link della password."),
    ])
    typo = (await find(engine, "pasword ")).hits[0]
    assert "<mark>Password</mark>" in typo.title_html
    assert "&lt;b&gt;dimenticata&lt;/b&gt;" in typo.title_html
    assert "<mark>password</mark>" in typo.snippet_html
    assert "<script>" not in typo.snippet_html and "&lt;script&gt;" in typo.snippet_html
    prefix = (await find(engine, "dimentic")).hits[0]
    assert "<mark>dimenticata</mark>" in prefix.title_html
    assert typo.title == "Password <b>dimenticata</b>"


async def test_snippet_is_cropped_around_the_match(engine: SearchEngine) -> None:
    filler = " ".join(f"parola{n}" for n in range(200))
    body = f"{filler} il modem si riavvia da solo {filler}"
    await engine.upsert([make_doc("faq:1", "Connessione instabile", body)])
    hit = (await find(engine, "riavvia ")).hits[0]
    text = re.sub(r"<[^>]+>", "", hit.snippet_html)
    assert "<mark>riavvia</mark>" in hit.snippet_html
    assert 10 <= len(text.split()) <= 40
    assert text.startswith("…") and text.endswith("…")
    assert "modem si riavvia da solo" in text


async def test_similar_documents(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("ticket:1", "Stampante laser inceppata", "La stampante laser del secondo piano si inceppa con la carta."),
        make_doc("ticket:2", "Carta inceppata nella stampante laser", "Inceppamento carta ripetuto sulla laser."),
        make_doc("ticket:3", "Password scaduta", "Non riesco ad accedere al portale."),
    ])
    by_id = await similar_to(engine, "ticket:1", SearchQuery("", STAFF))
    assert ids(by_id)[0] == "ticket:2" and "ticket:1" not in ids(by_id) and "ticket:3" not in ids(by_id)
    by_text = await similar_to(engine, "la stampante laser inceppa la carta", SearchQuery("", STAFF), exclude_ids=["ticket:2"])
    assert ids(by_text)[0] == "ticket:1" and "ticket:2" not in ids(by_text)


async def test_update_replaces_and_delete_removes(engine: SearchEngine) -> None:
    await engine.upsert([make_doc("faq:1", "Vecchio titolo", "testo originale"), make_doc("faq:2", "Altro", "altro")])
    await engine.upsert([make_doc("faq:1", "Nuovo titolo", "testo riscritto")])
    assert ids(await find(engine, "originale ")) == []
    assert ids(await find(engine, "riscritto ")) == ["faq:1"]
    assert await engine.count() == 2
    await engine.delete(["faq:1", "faq:404"])
    assert ids(await find(engine, "riscritto ")) == []
    assert await engine.all_ids() == {"faq:2"}


async def test_rebuild_swaps_in_the_new_index(engine: SearchEngine) -> None:
    await engine.upsert([make_doc("faq:1", "Indice vecchio", "contenuto superato")])
    seen: list[int] = []

    async def fresh_docs():  # type: ignore[no-untyped-def]
        for n in range(2, 5):
            yield make_doc(f"faq:{n}", f"Indice nuovo {n}", "contenuto attuale")

    written = await engine.rebuild(fresh_docs(), seen.append)
    assert written == 3 and seen[-1] == 3
    assert await engine.all_ids() == {"faq:2", "faq:3", "faq:4"}
    assert ids(await find(engine, "superato ")) == []
    assert (await find(engine, "attuale ")).total == 3
    await engine.upsert([make_doc("faq:9", "Dopo la ricostruzione", "scritto dopo")])
    assert ids(await find(engine, "ricostruzione ")) == ["faq:9"]


async def test_health_and_count(engine: SearchEngine) -> None:
    assert await engine.count() == 0
    await engine.upsert([make_doc(f"faq:{n}", f"Voce {n}", "testo") for n in range(5)])
    health = await engine.health()
    assert health.ok and health.documents == 5 and health.engine == engine.name
    assert await engine.count() == 5


async def test_staff_body_is_searched_only_by_staff(engine: SearchEngine) -> None:
    await engine.upsert([
        make_doc("ticket:1", "Problema stampa", "La stampa non parte.", audience="company", company_id=7,
                 requester_id=70, status="solved", staff_body="nota interna: ricompilare driverxyzzy",
                 resolution="Reinstallato il driver."),
    ])
    owner = Principal.requester(70, 7)
    assert ids(await find(engine, "driverxyzzy ", owner)) == []
    staff_hit = (await find(engine, "driverxyzzy ", STAFF)).hits
    assert [h.id for h in staff_hit] == ["ticket:1"] and "<mark>driverxyzzy</mark>" in staff_hit[0].snippet_html
    own = (await find(engine, "stampa ", owner)).hits[0]
    assert "staff_body" not in own.fields and "driverxyzzy" not in own.snippet_html
    resolved = (await find(engine, "reinstallato ", owner)).hits[0]
    assert "<mark>Reinstallato</mark>" in resolved.snippet_html
