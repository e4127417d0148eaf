// Registrasi: Nama Perusahaan is only asked of Perusahaan partners.
(() => {
  const field = document.querySelector("[data-company-field]");
  if (!field) return;
  const sync = () => {
    const chosen = document.querySelector("input[name=kind]:checked");
    field.hidden = !(chosen && chosen.value === "perusahaan");
  };
  document.querySelectorAll("input[name=kind]").forEach((el) => el.addEventListener("change", sync));
  sync();
})();
