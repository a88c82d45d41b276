// Ticket page: new comments and status changes appear without a reload. The server sends them as the
// page's own fragments over Server-Sent Events (app/live); without JavaScript the page stays as drawn.
(() => {
  const page = document.querySelector("[data-live]");
  if (!page || !window.EventSource) return;
  const announcer = page.querySelector("[data-live-announce]");

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = text; }, 100); // a new text is read even if equal
  }

  function parse(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function addComment(event) {
    const item = parse(event.data);
    if (!item || document.querySelector(`[data-comment="${item.dataset.comment}"]`)) return;
    const list = document.querySelector("#comments ol.comments");
    const empty = list.querySelector("[data-live-empty]");
    if (empty) empty.remove();
    list.append(item);
    const heading = document.getElementById("comments-title");
    heading.textContent = heading.dataset.liveCount.replace("{count}", list.querySelectorAll("[data-comment]").length);
    const author = item.querySelector(".comment-meta");
    announce(`${page.dataset.liveComment}: ${author ? author.textContent.replace(/\s+/g, " ").trim() : ""}`);
  }

  // The status, the buttons (with the ticket's new version) and the details come from the page itself.
  async function refreshParts() {
    const answer = await fetch(window.location.pathname, { headers: { Accept: "text/html" } });
    if (!answer.ok) return;
    const fresh = new DOMParser().parseFromString(await answer.text(), "text/html");
    fresh.querySelectorAll("[data-live-part]").forEach((part) => {
      const current = page.querySelector(`[data-live-part="${part.dataset.livePart}"]`);
      if (current) current.replaceWith(document.importNode(part, true));
    });
  }

  async function changed(event) {
    const row = parse(`<table><tbody>${event.data}</tbody></table>`);
    const history = page.querySelector("[data-live-history] tbody");
    if (row && history) history.append(...row.querySelectorAll("tr"));
    await refreshParts();
    const status = page.querySelector("[data-live-part=head] .status");
    if (event.type === "status" && status) announce(page.dataset.liveStatus.replace("{status}", status.textContent));
  }

  const source = new EventSource(page.dataset.live);
  source.addEventListener("comment", addComment);
  source.addEventListener("status", changed);
  source.addEventListener("changed", changed);
  source.addEventListener("end", () => source.close()); // signed out: no reconnecting
})();
