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
