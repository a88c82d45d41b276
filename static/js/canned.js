// Ticket page: "Insert" puts the chosen canned reply, filled for this ticket by the server, into the reply box at
// the cursor. Without JavaScript the same button sends the form to the server, which answers the page with it.
document.addEventListener("click", async (event) => {
  const button = event.target.closest && event.target.closest("[data-canned-insert]");
  if (!button) return;
  const form = button.form;
  const box = form && form.querySelector("textarea[name=body]");
  const choice = form && form.querySelector("select[name=canned]");
  if (!box || !choice) return;
  event.preventDefault();
  const url = `${button.dataset.cannedInsert}?canned=${encodeURIComponent(choice.value)}&format=text`;
  const answer = await fetch(url, { credentials: "same-origin" });
  if (!answer.ok) return;
  const text = await answer.text();
  const start = box.selectionStart ?? box.value.length;
  const end = box.selectionEnd ?? box.value.length;
  box.value = box.value.slice(0, start) + text + box.value.slice(end);
  box.focus();
  box.setSelectionRange(start + text.length, start + text.length);
  box.dispatchEvent(new Event("input", { bubbles: true }));
});
