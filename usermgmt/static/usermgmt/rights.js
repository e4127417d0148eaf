// Hak Akses Akun: choosing a role fills the matrix; changing the matrix by hand shows
// "Kustom" (or the role it now equals). The server stores only the matrix.
(() => {
  const form = document.querySelector("[data-user-form]");
  const data = document.getElementById("usermgmt-roles");
  if (!form || !data) return;
  const roles = JSON.parse(data.textContent);
  const select = form.querySelector("select[name=role]");
  const radios = () => form.querySelectorAll("[data-rights-matrix] input[type=radio]");
  const menus = () => [...new Set([...radios()].map((r) => r.name.replace(/^right_/, "")))];

  const current = () => {
    const rights = {};
    radios().forEach((r) => {
      if (r.checked && r.value) rights[r.name.replace(/^right_/, "")] = r.value;
    });
    return rights;
  };
  const same = (a, b) => {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => a[k] === b[k]);
  };
  const matching = () => {
    const rights = current();
    return Object.keys(roles).find((key) => same(roles[key], rights)) || "kustom";
  };

  select.addEventListener("change", () => {
    const rights = roles[select.value];
    if (!rights) return;
    menus().forEach((menu) => {
      const level = rights[menu] || "";
      const radio = form.querySelector(`input[name="right_${menu}"][value="${level}"]`);
      if (radio) radio.checked = true;
    });
  });
  form.querySelector("[data-rights-matrix]").addEventListener("change", () => {
    select.value = matching();
  });
  select.value = matching();
})();
