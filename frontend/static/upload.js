// Shows the photo chosen (or just taken with the camera) before it is sent.
// Only an enhancement: the form uploads the same without it.
document.querySelectorAll('input[type=file][data-preview]').forEach((input) => {
  const img = document.getElementById(input.dataset.preview);
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    if (!img || !file) return;
    img.src = URL.createObjectURL(file);
    img.hidden = false;
  });
});

// A form sent once is not sent again by a second tap while the first is
// on its way (the server answers a repeat with the first result anyway).
document.querySelectorAll('form[data-once]').forEach((form) => {
  form.addEventListener('submit', (event) => {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = '1';
  });
});
window.addEventListener('pageshow', () => {
  document.querySelectorAll('form[data-once]').forEach((form) => delete form.dataset.sent);
});
