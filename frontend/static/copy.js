// Copy buttons beside the account number, the amount and the reference of a
// bank transfer. Only an enhancement: without script (or a clipboard) the
// buttons stay hidden and the values are on the page to read and type.
if (navigator.clipboard && window.isSecureContext) {
  document.querySelectorAll('button.copy[data-copy]').forEach((button) => {
    const label = button.firstChild.textContent;
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        button.firstChild.textContent = button.dataset.done;
        setTimeout(() => { button.firstChild.textContent = label; }, 2000);
      } catch {
        // Refused (permissions): the value is still there to type.
      }
    });
  });
}
