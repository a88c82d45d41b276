import httpx
import pytest

from app.autolink import autolink
from app.settings import Settings
from app.tickets import service
from tests.support import log_in
from tests.tickets.helpers import open_ticket, people

PORTAL = "http://testserver"


def test_addresses_become_links_and_external_ones_are_marked() -> None:
    html = str(autolink("Vedi https://example.com/a?b=1&c=2 oppure scrivi a help@example.com", PORTAL))
    assert html == ('Vedi <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener">'
                    'https://example.com/a?b=1&amp;c=2</a> oppure scrivi a <a href="mailto:help@example.com">'
                    'help@example.com</a>')
    assert str(autolink("FAQ: http://testserver/kb/password", PORTAL)) == (
        'FAQ: <a href="http://testserver/kb/password">http://testserver/kb/password</a>')
    assert str(autolink("www.example.org\nriga due", PORTAL)) == (
        '<a href="http://www.example.org" rel="nofollow noopener">www.example.org</a><br>riga due')


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '"><img src=x onerror=alert(1)>',
    "<a href=\"javascript:alert(1)\">clic</a>",
    "vbscript:msgbox(1)",
])
def test_payloads_stay_text(payload: str) -> None:
    html = str(autolink(payload, PORTAL))
    assert "<" not in html and ">" not in html  # no element at all: no link to a script scheme, no tag


def test_a_quote_inside_an_address_cannot_open_an_attribute() -> None:
    html = str(autolink('http://example.com/"onmouseover="alert(1)', PORTAL))
    assert html.count('"') == 4 and "onmouseover=&#34;" in html  # the href's and the rel's quotes only


async def test_a_link_in_a_comment_is_clickable_on_the_ticket(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario, description="Errore <b>grave</b>: vedi https://status.example.com")
    await service.add_comment(settings, tech, ticket, "Ecco la FAQ: http://testserver/kb/stampa-cedolini")
    await log_in(client, mario.email)
    page = (await client.get(f"/tickets/{ticket.code}")).text
    assert '<a href="http://testserver/kb/stampa-cedolini">http://testserver/kb/stampa-cedolini</a>' in page
    assert '<a href="https://status.example.com" rel="nofollow noopener">' in page
    assert "Errore &lt;b&gt;grave&lt;/b&gt;" in page
