import re
from datetime import UTC, datetime

import httpx

from app.mail.models import OutgoingMail
from app.mail.service import queue_mail
from tests.support import Page, log_in, make_user


async def _admin(client: httpx.AsyncClient) -> None:
    await make_user("boss@example.it", is_admin=True)
    await log_in(client, "boss@example.it")


async def test_the_mail_list_shows_subject_recipient_and_date_and_pages_past_fifty(client: httpx.AsyncClient) -> None:
    await _admin(client)
    for n in range(1, 61):
        await OutgoingMail.create(recipient=f"persona{n}@example.it", subject=f"Oggetto numero {n}", text_body="t",
                                  html_body="<p>t</p>", template="test", next_attempt_at=datetime.now(UTC))
    await OutgoingMail.filter(subject="Oggetto numero 60").update(created_at=datetime(2026, 12, 2, 14, 5, tzinfo=UTC))
    first = await client.get("/admin/mail")
    page = Page(first.text)
    assert "Email: 60" in page.text and "Pagina 1 di 2" in page.text
    assert "Oggetto numero 60" in page.text and "persona60@example.it" in page.text
    assert "2 dic 2026, 15:05" in page.text  # Europe/Rome, the Italian medium style
    assert len(re.findall(r'<a href="/admin/mail/\d+">Oggetto numero', first.text)) == 50
    second = Page((await client.get("/admin/mail?page=2")).text)
    assert "Oggetto numero 10" in second.text and "Oggetto numero 11" not in second.text
    filtered = Page((await client.get("/admin/mail", params={"to": "persona7@"})).text)
    assert "Email: 1" in filtered.text and "Oggetto numero 7" in filtered.text
    assert (await client.get("/admin/mail?page=abc")).status_code == 200


async def test_a_mail_shows_its_text_and_its_html_in_a_sandboxed_frame(client: httpx.AsyncClient) -> None:
    await _admin(client)
    await client.post("/language", data={"locale": "en", "next": "/"})
    row = await queue_mail("registration_rejected", "sara@example.it", "it", {"applicant": {"full_name": "Sara"}})
    await OutgoingMail.filter(id=row.id).update(
        html_body='<p>Ciao</p><script>alert(1)</script><img src="https://tracker.example/x.png">',
        text_body="Apri https://portal.example/password/set/abc\n<b>non grassetto</b>")
    view = await client.get(f"/admin/mail/{row.id}")
    page = Page(view.text)
    assert row.subject in page.headings and "sara@example.it" in page.text
    assert f'<iframe class="mail-frame" src="/admin/mail/{row.id}/html" sandbox=""' in view.text
    assert '<a href="https://portal.example/password/set/abc" rel="nofollow noopener">' in view.text
    assert "&lt;b&gt;non grassetto&lt;/b&gt;" in view.text and "<script>alert(1)" not in view.text
    framed = await client.get(f"/admin/mail/{row.id}/html")
    policy = framed.headers["content-security-policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy and "script-src" not in policy
    assert framed.headers["x-frame-options"] == "SAMEORIGIN" and "<p>Ciao</p>" in framed.text
    assert (await client.get("/admin/mail/9999")).status_code == 404
    assert (await client.get("/admin/mail/9999/html")).status_code == 404


async def test_only_admins_read_the_mail(client: httpx.AsyncClient) -> None:
    row = await queue_mail("registration_rejected", "sara@example.it", "it", {"applicant": {"full_name": "Sara"}})
    await make_user("tecnico@example.it", is_technician=True)
    await log_in(client, "tecnico@example.it")
    assert (await client.get(f"/admin/mail/{row.id}/html")).status_code == 404
