// The till's running total and change while quantities and cash are typed.
// Only an enhancement: without it the "update" button asks the server, and
// the sale is recorded the same. A second tap on the sale button while the
// first is on its way sends nothing (the server answers a repeat once anyway).
(() => {
  const form = document.querySelector('form[data-till]');
  if (!form) return;
  const script = document.currentScript || document.querySelector('script[data-short]');
  const short = (script && script.dataset.short) || '%s';
  const total = document.getElementById('till-total');
  const change = document.getElementById('till-change');
  const tendered = document.getElementById('till-tendered');
  const rupiah = (n) => (n < 0 ? '-' : '') + 'Rp' + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const digits = (s) => Number(String(s).replace(/[^\d]/g, '') || 0);
  const update = () => {
    let sum = 0;
    form.querySelectorAll('input[data-price]').forEach((q) => {
      const n = Number(q.value);
      if (Number.isInteger(n) && n > 0) sum += n * Number(q.dataset.price);
    });
    total.textContent = rupiah(sum);
    const cash = digits(tendered.value);
    if (!cash) change.textContent = '–';
    else if (cash >= sum) change.textContent = rupiah(cash - sum);
    else change.textContent = short.replace('%s', rupiah(sum - cash));
  };
  form.addEventListener('input', update);
  let sent = false;
  form.addEventListener('submit', (e) => {
    const sale = e.submitter && e.submitter.hasAttribute('data-once');
    if (sale && sent) e.preventDefault();
    if (sale) sent = true;
  });
})();
