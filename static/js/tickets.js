// Ticket page: "Insert the link in the reply" appends an FAQ or manual link to the reply box.
// The panel arrives later through htmx, so the click is handled on the document.
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("[data-insert-link]");
  if (!button) return;
  const box = document.getElementById(button.dataset.target || "body");
  if (!box) return;
  const link = button.dataset.insertLink;
  const separator = box.value === "" || /\s$/.test(box.value) ? "" : "\n";
  box.value = box.value + separator + link + "\n";
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
  box.dispatchEvent(new Event("input", { bubbles: true }));
});

// Drag and drop onto any file box: the dropped files fill its input; on the attach form they are sent at once.
document.querySelectorAll("[data-dropzone]").forEach((zone) => {
  const input = zone.querySelector("input[type=file]");
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("dragging"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("dragging");
    input.files = e.dataTransfer.files;
    const form = zone.closest("[data-attach-form]");
    if (form && input.files.length) form.requestSubmit();
  });
});
