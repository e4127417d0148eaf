// Tambah Produk: "Pilih semua" ticks every product that may be chosen (the list is swapped
// in by htmx, so the handler listens on the document).
document.addEventListener("change", (event) => {
  if (!event.target.matches("[data-check-all]")) return;
  event.target.closest("form").querySelectorAll("input[name=products]:not(:disabled)")
    .forEach((box) => { box.checked = event.target.checked; });
});
