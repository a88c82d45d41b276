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
