/** The contract page's "Stampa" button: shown only when scripts run (printing needs one). */
const button = document.querySelector<HTMLElement>('[data-print]');
if (button) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
