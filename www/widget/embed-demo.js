// The demo partner page's script (dist/embed-demo.js; a file, since the page's policy
// allows no inline script): logs the widgets' events on the page and keeps them for the
// tests in window.__widgetEvents.
const log = document.getElementById('log');
window.__widgetEvents = [];
window.__cspViolations = window.__cspViolations || [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));

function write(type, e) {
  const d = e.detail || {};
  const at = performance.now();
  window.__widgetEvents.push({ type, id: e.target.id, at, detail: d });
  const line = `${(at / 1000).toFixed(2)} s  #${e.target.id}  ${type}: ${d.tokens} tokens, ${d.currency} ${d.total}` +
    (d.order ? ` (order of ${d.order.tokens})` : '') + (d.share ? `, share link ${d.share.length} chars` : '');
  if (log) log.textContent = `${line}\n${log.textContent}`;
}
document.addEventListener('estimate-change', (e) => write('estimate-change', e));
document.addEventListener('estimate-cta', (e) => {
  write('estimate-cta', e);
  // The demo keeps the visitor on the page: the partner's link is only logged.
  e.preventDefault();
});
