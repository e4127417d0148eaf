// Callback page: show/hide and copy the callback secret.
document.addEventListener("click", (event) => {
  const reveal = event.target.closest("[data-reveal-target]");
  if (reveal) {
    const input = document.querySelector(reveal.dataset.revealTarget);
    const hidden = input.type === "password";
    input.type = hidden ? "text" : "password";
    reveal.setAttribute("aria-pressed", hidden ? "true" : "false");
    return;
  }
  const copy = event.target.closest("[data-copy-target]");
  if (!copy) return;
  const input = document.querySelector(copy.dataset.copyTarget);
  const label = copy.querySelector("[data-copy-label]");
  const done = () => {
    const original = label.textContent;
    label.textContent = copy.dataset.copiedLabel;
    setTimeout(() => { label.textContent = original; }, 2000);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done);
  } else {
    // Plain http (a local run): copy through a temporary selection.
    const type = input.type;
    input.type = "text";
    input.select();
    document.execCommand("copy");
    input.type = type;
    input.blur();
    done();
  }
});
