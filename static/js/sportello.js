document.documentElement.classList.add("js");

// The header search is a WAI-ARIA 1.2 combobox: focus stays in the box, ArrowDown/ArrowUp move the active
// option (aria-activedescendant), Enter opens it, Escape closes the list and leaves focus in the box.
const combobox = document.getElementById("header-q");
if (combobox) {
  const listbox = document.getElementById(combobox.getAttribute("aria-controls"));
  const options = () => Array.from(listbox.querySelectorAll("[role=option]"));
  const activate = (option) => {
    options().forEach((o) => o.setAttribute("aria-selected", String(o === option)));
    if (option) {
      combobox.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      combobox.removeAttribute("aria-activedescendant");
    }
  };
  const close = () => {
    listbox.innerHTML = "";
    combobox.setAttribute("aria-expanded", "false");
    activate(null);
  };
  listbox.addEventListener("htmx:afterSwap", () => {
    if (document.activeElement !== combobox) return close();  // answered after the person left the box
    combobox.setAttribute("aria-expanded", String(options().length > 0));
    activate(null);
  });
  combobox.addEventListener("keydown", (event) => {
    const all = options();
    const current = all.findIndex((o) => o.id === combobox.getAttribute("aria-activedescendant"));
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && all.length) {
      event.preventDefault();
      combobox.setAttribute("aria-expanded", "true");
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = current < 0 ? (step > 0 ? 0 : all.length - 1) : (current + step + all.length) % all.length;
      activate(all[next]);
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault();
      window.location.assign(all[current].href);
    } else if (event.key === "Escape") {
      if (combobox.getAttribute("aria-expanded") === "true") event.preventDefault();
      close();
    }
  });
  // A click on an option keeps the focus in the box (and follows the link); leaving the box closes the list.
  listbox.addEventListener("mousedown", (event) => event.preventDefault());
  combobox.addEventListener("blur", close);
}

// The menu button opens and closes the navigation on narrow screens; Escape closes it and returns to the button.
const menuButton = document.querySelector("[data-menu-button]");
if (menuButton) {
  const menu = document.getElementById(menuButton.getAttribute("aria-controls"));
  const setOpen = (open) => {
    menuButton.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  };
  menuButton.addEventListener("click", () => setOpen(menuButton.getAttribute("aria-expanded") !== "true"));
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menuButton.getAttribute("aria-expanded") === "true" && getComputedStyle(menuButton).display !== "none") {
      setOpen(false);
      menuButton.focus();
    }
  });
}

// A dropdown of the navigation closes on Escape and when the click or focus goes elsewhere.
document.querySelectorAll(".nav-group details").forEach((group) => {
  group.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && group.open) {
      event.stopPropagation();
      group.open = false;
      group.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", (event) => { if (!group.contains(event.target)) group.open = false; });
  group.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !group.contains(event.relatedTarget)) group.open = false;
  });
});

// New ticket on a phone: the answers panel follows the field being typed (see .suggest-layout in the stylesheet).
document.querySelectorAll(".suggest-layout").forEach((layout) => {
  layout.addEventListener("focusin", (event) => {
    if (event.target.id === "title" || event.target.id === "description") layout.dataset.typing = event.target.id;
  });
});

// Tables become cards on phones: each cell carries its column's name, which the stylesheet shows before it.
document.querySelectorAll(".table-wrap:not([data-keep-table]) > table").forEach((table) => {
  const names = Array.from(table.querySelectorAll("thead tr:first-child th")).map((th) => {
    const copy = th.cloneNode(true);
    copy.querySelectorAll("[aria-hidden=true]").forEach((hidden) => hidden.remove());
    return copy.textContent.trim();
  });
  table.querySelectorAll("tbody tr, thead tr.column-filters").forEach((row) => {
    Array.from(row.children).forEach((cell, index) => {
      if (names[index] && !cell.hasAttribute("colspan")) cell.dataset.label = names[index];
    });
  });
  table.classList.add("cards-on-phone");
});

// A table wider than its box scrolls inside it: the box takes focus, so keyboard users can scroll it too.
const focusableScroll = () => document.querySelectorAll(".table-wrap").forEach((wrap) => {
  const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
  if (scrolls && !wrap.hasAttribute("tabindex")) {
    const caption = wrap.querySelector("caption");
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
  } else if (!scrolls && wrap.getAttribute("tabindex") === "0") {
    ["tabindex", "role", "aria-label"].forEach((name) => wrap.removeAttribute(name));
  }
});
focusableScroll();
window.addEventListener("resize", focusableScroll);

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
