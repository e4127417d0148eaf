// Small behaviours shared by every page; no outside service is needed.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
});

// Forms marked data-confirm="…" ask for confirmation (Ya / Tidak) before submitting.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("[data-confirm]") || form.dataset.confirmed === "1") return;
  const modalEl = document.getElementById("confirmModal");
  if (!modalEl) return;
  event.preventDefault();
  modalEl.querySelector("[data-confirm-text]").textContent = form.dataset.confirm;
  const modal = bootstrap.Modal.getOrCreateInstance(modalEl);
  const yes = modalEl.querySelector("[data-confirm-yes]");
  const onYes = () => {
    form.dataset.confirmed = "1";
    modal.hide();
    form.requestSubmit ? form.requestSubmit(event.submitter || undefined) : form.submit();
  };
  yes.addEventListener("click", onYes, { once: true });
  modalEl.addEventListener("hidden.bs.modal", () => yes.removeEventListener("click", onYes), { once: true });
  modal.show();
});

// Show a modal that the server marked to open on load (e.g. the "Lengkapi Data" notice).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".modal[data-show-on-load]").forEach((el) => {
    bootstrap.Modal.getOrCreateInstance(el).show();
  });
});
