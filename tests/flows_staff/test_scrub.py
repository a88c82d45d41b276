"""Scrubbing personal data out of a ticket's text before it becomes an FAQ: a pure function."""

import re

from hypothesis import given
from hypothesis import strategies as st

from app.kb.scrub import EMAIL, PersonalData, name_parts, scrub

PEOPLE = PersonalData(
    names=("Mario Rossi", "Maria De Luca", "Nicolò D'Amico", "Anna-Lisa Ferri"),
    companies=("Comune di Valdora",),
    phones=("55 1234",),
    codes=("01234567890",),
)


def test_full_names_and_each_first_and_last_name_become_a_neutral_word() -> None:
    text = "Sono Mario Rossi. Rossi Mario ha chiamato Mario; poi la signora Rossi e Maria De Luca (De Luca)."
    assert scrub(text, PEOPLE) == "Sono [nome]. [nome] ha chiamato [nome]; poi la signora [nome] e [nome] ([nome])."


def test_names_match_without_regard_to_case_accents_apostrophes_and_hyphenated_parts() -> None:
    text = "MARIO ROSSI, nicolo d’amico, Nicolò, Anna-Lisa, Lisa"
    assert scrub(text, PEOPLE) == "[nome], [nome], [nome], [nome], [nome]"


def test_short_particles_of_a_name_are_kept_in_ordinary_text() -> None:
    assert scrub("Il file di De Luca è da rifare", PEOPLE) == "Il file di [nome] è da rifare"
    assert "De" not in list(name_parts("Maria De Luca"))[3:]


def test_words_that_merely_contain_a_name_are_kept() -> None:
    assert scrub("Marione e Rossini e Valdoraia", PEOPLE) == "Marione e Rossini e Valdoraia"


def test_the_company_name_and_its_distinctive_word_go_but_generic_words_stay() -> None:
    assert scrub("Il Comune di Valdora (Valdora) come ogni comune", PEOPLE) == (
        "Il [azienda] ([azienda]) come ogni comune")


def test_email_addresses_phone_numbers_and_fiscal_codes_are_replaced() -> None:
    text = ("Scrivere a mario.rossi+ticket@valdora.gov.it o chiamare +39 333 123 4567, 0039 06 1234 5678, "
            "3331234567, (02) 1234-5678, 06.12345678 o 0574/123.45. CF RSSMRA80A01H501U, rssmra80a01h501u, "
            "P.IVA 01234567890.")
    assert scrub(text, PersonalData()) == (
        "Scrivere a [email] o chiamare [telefono], [telefono], [telefono], [telefono], [telefono] o [telefono]. "
        "CF [codice fiscale], [codice fiscale], P.IVA [telefono].")
    assert scrub(text, PEOPLE).endswith("CF [codice fiscale], [codice fiscale], P.IVA [codice fiscale].")


def test_a_phone_number_stored_for_a_person_goes_even_when_too_short_to_look_like_one() -> None:
    assert scrub("interno 55 1234 oppure 55 9876", PEOPLE) == "interno [telefono] oppure 55 9876"


def test_dates_addresses_versions_amounts_and_ticket_codes_are_not_phone_numbers() -> None:
    text = "Dal 12/05/2024 (2024-05-12) sul server 192.168.1.100 versione 3.2.1, 1.234,56 euro, TT123456789, 30 giorni."
    assert scrub(text, PersonalData()) == text


def test_english_articles_get_english_placeholders() -> None:
    assert scrub("Mario Rossi, mario@valdora.it, +39 333 1234567, Valdora", PEOPLE, "en") == (
        "[name], [email], [phone], [company]")


names = st.lists(st.sampled_from(["Mario", "Giulia", "Rossi", "Bianchi", "Esposito", "Nicolò"]), min_size=2,
                 max_size=3).map(" ".join)
filler = st.lists(st.sampled_from(["la", "stampa", "non", "funziona", "dal", "portale", "e", "poi", "ok"]),
                  max_size=6).map(" ".join)
emails = st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,8})?@[a-z]{2,8}\.(it|com|eu)", fullmatch=True)
phones = st.builds(lambda prefix, groups: prefix + " ".join(groups), st.sampled_from(["", "+39 ", "0039 "]),
                   st.sampled_from([["333", "123", "4567"], ["3331234567"], ["06", "1234", "5678"],
                                    ["02", "12345678"], ["347", "12", "34", "567"]]))


@given(name=names, before=filler, after=filler, email=emails, phone=phones)
def test_no_generated_name_email_or_phone_survives_and_scrubbing_twice_changes_nothing(
    name: str, before: str, after: str, email: str, phone: str
) -> None:
    data = PersonalData(names=(name,))
    text = f"{before} {name} scrive da {email} {after}, tel. {phone}."
    once = scrub(text, data)
    assert all(re.search(rf"(?<!\w){re.escape(part)}(?!\w)", once, re.I) is None
               for part in name.split() if len(part) >= 3)
    assert EMAIL.search(once) is None and sum(ch.isdigit() for ch in once) == 0
    assert scrub(once, data) == once
