import httpx
import pytest

from app.accounts.fiscal import FiscalError, clean_fiscal_code, clean_tax_id, clean_vat_number
from app.accounts.models import Company, User
from tests.support import Page, log_in, make_user


def test_vat_numbers_are_checked_and_compacted() -> None:
    assert clean_vat_number("IT 012 345 609 83") == "01234560983"
    assert clean_vat_number("  ") == ""
    for wrong in ("01234560984", "123", "0123456098A"):
        with pytest.raises(FiscalError):
            clean_vat_number(wrong)


def test_fiscal_codes_of_people_and_companies() -> None:
    assert clean_fiscal_code("rssmra85t10a562s") == "RSSMRA85T10A562S"
    assert clean_fiscal_code("80012340982") == "80012340982"
    with pytest.raises(FiscalError):
        clean_fiscal_code("RSSMRA85T10A562X")  # wrong check letter
    assert clean_tax_id("80012340982") == "80012340982" and clean_tax_id("RSSMRA85T10A562S") == "RSSMRA85T10A562S"
    with pytest.raises(FiscalError):
        clean_tax_id("12345")


async def test_company_form_refuses_a_wrong_vat_number_and_fiscal_code(client: httpx.AsyncClient) -> None:
    await make_user("boss@example.it", is_admin=True)
    await log_in(client, "boss@example.it")
    await client.post("/language", data={"locale": "en", "next": "/"})
    bad_vat = await client.post("/admin/companies/new", data={"name": "Nuova Srl", "vat_number": "01234560984"})
    assert bad_vat.status_code == 400
    assert "The VAT number is not valid" in " ".join(Page(bad_vat.text).alerts)
    assert Page(bad_vat.text).inputs["vat_number"] == "01234560984"  # kept for correction
    bad_code = await client.post("/admin/companies/new", data={"name": "Nuova Srl", "fiscal_code": "RSSMRA85T10A562X"})
    assert bad_code.status_code == 400 and "The fiscal code is not valid" in bad_code.text
    assert await Company.all().count() == 0


async def test_registration_checks_the_tax_id_and_keeps_it_for_the_admin(client: httpx.AsyncClient) -> None:
    form = {"full_name": "Mario Neri", "email": "mario@nuova.example", "company_name": "Nuova Srl", "phone": "",
            "note": ""}
    refused = await client.post("/register", data={**form, "tax_id": "12345"})
    assert refused.status_code == 400
    assert "non è una partita IVA valida" in " ".join(Page(refused.text).alerts)
    assert not await User.exists(email="mario@nuova.example")
    accepted = await client.post("/register", data={**form, "tax_id": "IT01234560983"})
    assert accepted.status_code == 303
    user = await User.get(email="mario@nuova.example")
    assert user.registration_note == "Nuova Srl\n01234560983"
