// Dokumentasi: "Cetak", "Salin" on every code block, and the chosen category of the
// catalogue block (its product list is swapped in by htmx).
(() => {
  const body = document.querySelector(".docs-body");
  if (!body) return;

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-docs-print]")) window.print();
    const category = event.target.closest("[data-catalogue] [data-category]");
    if (category) {
      category.parentElement.querySelectorAll(".active").forEach((el) => el.classList.remove("active"));
      category.classList.add("active");
    }
  });

  // The labels come from the page, translated.
  const copyLabel = body.dataset.copyLabel;
  const copiedLabel = body.dataset.copiedLabel;
  body.querySelectorAll(".codehilite").forEach((block) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-light docs-copy docs-noprint";
    button.textContent = copyLabel;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(block.querySelector("pre").innerText).then(() => {
        button.textContent = copiedLabel;
        setTimeout(() => { button.textContent = copyLabel; }, 1500);
      });
    });
    block.prepend(button);
  });
})();
