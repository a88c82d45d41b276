// Keyboard navigation for suggestion lists: arrows move between links, Escape closes.
document.addEventListener("keydown", (event) => {
  const input = event.target.closest && event.target.closest("[aria-controls]");
  const list = input ? document.getElementById(input.getAttribute("aria-controls")) : event.target.closest(".suggestions");
  if (!list) return;
  const links = Array.from(list.querySelectorAll("a"));
  const index = links.indexOf(document.activeElement);
  if (event.key === "ArrowDown" && links.length) {
    event.preventDefault();
    links[Math.min(index + 1, links.length - 1)].focus();
  } else if (event.key === "ArrowUp" && index >= 0) {
    event.preventDefault();
    if (index === 0 && input) input.focus(); else if (index > 0) links[index - 1].focus();
  } else if (event.key === "Escape") {
    list.innerHTML = "";
  }
});

// Behaviour that pages declare with data- attributes: the Content-Security-Policy runs no inline script.
document.addEventListener("click", (event) => {
  if (!event.target.closest) return;
  if (event.target.closest("[data-print]")) window.print();
  const dismiss = event.target.closest("[data-dismiss-suggestion]");
  if (dismiss) {
    dismiss.closest("li").remove();
    const heading = document.getElementById("suggest-heading");
    if (heading) heading.focus();
  }
});

// Upload forms sent by htmx: a progress bar, and a refused upload (400) shows its form with the error.
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target.closest && event.target.closest("[data-upload-progress]");
  const bar = form && form.querySelector("progress");
  if (bar && event.detail.total) bar.value = Math.round(event.detail.loaded * 100 / event.detail.total);
});
document.addEventListener("htmx:beforeSwap", (event) => {
  const form = event.target.closest && event.target.closest("[data-swap-refusal]");
  if (form && event.detail.xhr.status === 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
