//! The few browser services the app needs, bound through one small JavaScript module:
//! Intl formatting (fed exact decimal strings, never floats), local storage, the URL
//! fragment, file downloads and the clock used by the performance figures.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const fmts = new Map();
function nf(key, make) { let f = fmts.get(key); if (!f) { f = make(); fmts.set(key, f); } return f; }
export function fmt_money(locale, currency, amount, digits) {
  try {
    const f = nf('m|' + locale + '|' + currency + '|' + digits, () => new Intl.NumberFormat(locale,
      { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }));
    return f.format(amount);
  } catch (e) { return amount + '\u00a0' + currency; }
}
export function fmt_int(locale, value) {
  return nf('i|' + locale, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })).format(value);
}
export function fmt_compact(locale, value) {
  return nf('c|' + locale, () => new Intl.NumberFormat(locale, { notation: 'compact' })).format(value);
}
export function fmt_date(locale, ymd, style) {
  const f = nf('d|' + locale + '|' + style, () => new Intl.DateTimeFormat(locale,
    style === 'short' ? { month: 'short', day: 'numeric', timeZone: 'UTC' } :
    style === 'month' ? { month: 'short', year: 'numeric', timeZone: 'UTC' } :
    style === 'monthname' ? { month: 'short', timeZone: 'UTC' } :
    style === 'weekday' ? { weekday: 'short', timeZone: 'UTC' } :
    { dateStyle: 'medium', timeZone: 'UTC' }));
  const [y, m, d] = ymd.split('-').map(Number);
  return f.format(new Date(Date.UTC(y, m - 1, d || 1)));
}
export function time_zones() {
  try { return Intl.supportedValuesOf('timeZone').join('\n'); } catch (e) { return 'UTC'; }
}
export function browser_zone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch (e) { return 'UTC'; }
}
// Letters and digits kept, anything else '-': Rust's char::is_alphanumeric (Alphabetic,
// or a number: Nd, Nl, No), whose Unicode tables the bundle then need not carry.
export function file_base(name) { return name.replace(/[^\p{Alphabetic}\p{N}]/gu, '-'); }
export function browser_lang() { return (navigator.language || 'en').slice(0, 2); }
export function storage_get(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
export function storage_set(key, value) { try { localStorage.setItem(key, value); return true; } catch (e) { return false; } }
export function storage_remove(key) { try { localStorage.removeItem(key); } catch (e) {} }
// IndexedDB: database 'flexcalc', store 'state'; a record is { enc: 'gzip', data:
// ArrayBuffer } when gzip makes the text smaller, else { enc: 'text', data: string }.
let idbp = null;
function idb() {
  if (!idbp) {
    idbp = new Promise((ok, ko) => {
      const r = indexedDB.open('flexcalc', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('state');
      r.onsuccess = () => { const db = r.result; db.onversionchange = () => { db.close(); idbp = null; }; ok(db); };
      r.onerror = () => ko(r.error);
      r.onblocked = () => ko(new Error('blocked by another tab'));
      setTimeout(() => ko(new Error('no answer in 5 s')), 5000);
    });
    idbp.catch(() => { idbp = null; });
  }
  return idbp;
}
function idb_do(mode, f) {
  return idb().then((db) => new Promise((ok, ko) => {
    const tx = db.transaction('state', mode);
    const r = f(tx.objectStore('state'));
    tx.oncomplete = () => ok(r.result);
    tx.onerror = tx.onabort = () => ko(tx.error || new Error('aborted'));
  }));
}
const err_text = (e) => (e && e.name ? e.name + ': ' + e.message : String(e));
const gz = (data, s) => new Response(new Blob([data]).stream().pipeThrough(s));
export function idb_save(key, text, cb) {
  const t0 = performance.now();
  let raw = 0, size = 0;
  (async () => {
    const blob = new Blob([text]);
    raw = size = blob.size;
    let rec = { enc: 'text', data: text };
    if (raw > 1024 && typeof CompressionStream === 'function') {
      const buf = await gz(blob, new CompressionStream('gzip')).arrayBuffer();
      if (buf.byteLength < raw) { rec = { enc: 'gzip', data: buf }; size = buf.byteLength; }
    }
    await idb_do('readwrite', (s) => s.put(rec, key));
  })().then(() => {
    set_perf('save_ms', performance.now() - t0); set_perf('save_raw_bytes', raw); set_perf('save_stored_bytes', size);
    if (cb) cb(true, '');
  }, (e) => { if (cb) cb(false, err_text(e)); });
}
// A text gzipped elsewhere (the engine's worker, for a big team): stored as idb_save would.
export function idb_save_gz(key, gz, raw, cb) {
  const t0 = performance.now();
  idb_do('readwrite', (s) => s.put({ enc: 'gzip', data: gz }, key)).then(() => {
    set_perf('save_ms', performance.now() - t0); set_perf('save_raw_bytes', raw); set_perf('save_stored_bytes', gz.byteLength);
    cb(true, '');
  }, (e) => cb(false, err_text(e)));
}
export function idb_load(key, cb) {
  let rec;
  idb_do('readonly', (s) => s.get(key)).then((r) => {
    rec = r;
    if (r === undefined) return [undefined, undefined, false];
    const text = r.enc === 'gzip' ? gz(r.data, new DecompressionStream('gzip')).text() : r.enc === 'text' ? r.data : Promise.reject(new Error('unknown encoding'));
    return Promise.resolve(text).then((t) => [t, undefined, false], (e) =>
      idb_do('readwrite', (s) => s.put(rec, key + '.unreadable')).catch(() => {}).then(() => [undefined, err_text(e), true]));
  }, (e) => [undefined, err_text(e), false]).then((a) => cb(a[0], a[1], a[2]));
}
export function location_hash() { return location.hash.slice(1); }
export function clear_hash() { history.replaceState(null, '', location.pathname + location.search); }
export function page_url() { return location.origin + location.pathname + location.search; }
export function download(name, mime, text) {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a'); a.href = url; a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
export function copy_text(text) {
  try { if (navigator.clipboard) { navigator.clipboard.writeText(text).catch(() => {}); return true; } } catch (e) {}
  return false;
}
export function share_pack(text, cb) {
  new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer().then((buf) => {
    const bytes = new Uint8Array(buf);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    cb(btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  });
}
export function share_unpack(data, max, cb) {
  (async () => {
    const b64 = data.trim().replace(/-/g, '+').replace(/_/g, '/');
    if (/[^A-Za-z0-9+/]/.test(b64) || b64.length % 4 === 1) throw new Error('not base64url');
    const bin = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '='));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
    const parts = []; let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > max) { reader.cancel().catch(() => {}); throw new Error('too large'); }
      parts.push(value);
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(await new Blob(parts).arrayBuffer());
  })().then((text) => cb(text), () => cb(undefined));
}
export function fetch_text(path, cb) {
  fetch(path).then((r) => (r.ok ? r.text() : undefined)).then((t) => cb(t), () => cb(undefined));
}
export function fetch_bytes(path, cb) {
  fetch(path).then((r) => (r.ok ? r.arrayBuffer() : undefined)).then((b) => cb(b ? new Uint8Array(b) : undefined), () => cb(undefined));
}
export function remove_boot() { const b = document.getElementById('boot'); if (b) b.remove(); }
export function show_fatal(msg) {
  const d = document.createElement('div');
  d.setAttribute('role', 'alert'); d.className = 'fatal';
  d.innerHTML = '<h2>Something went wrong</h2><p>The estimator stopped on an internal error. Your work up to the last change is saved in this browser: reload the page to continue.</p><pre></pre>';
  d.querySelector('pre').textContent = msg;
  document.body.prepend(d);
  console.error('flexcalc: ' + msg);
}
export function is_typing() {
  const el = document.activeElement;
  return !!el && (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'file'].includes(el.type)));
}
export function on_undo_keys(cb) {
  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || is_typing()) return;
    const k = e.key.toLowerCase();
    const a = k === 'z' ? (e.shiftKey ? 'redo' : 'undo') : k === 'y' ? 'redo' : null;
    if (a) { e.preventDefault(); cb(a); }
  });
}
// Leaving the page (reload, close, navigation): the last chance to write synchronously.
export function on_page_hide(cb) { addEventListener('pagehide', () => cb()); }
export function now_ms() { return performance.now(); }
export function set_perf(name, value) { (globalThis.__flexcalcPerf = globalThis.__flexcalcPerf || {})[name] = value; }
export function focus_selector(sel) { const el = document.querySelector(sel); if (el) { el.focus(); el.scrollIntoView({ block: 'center' }); return true; } return false; }
export function focus_later(sel) { setTimeout(() => focus_selector(sel), 0); }
export function later(ms, cb) { setTimeout(cb, ms); }
export function print_page() { window.print(); }
export function set_doc_lang(lang, title) { document.documentElement.lang = lang; document.title = title; }
export function read_file(input_id, cb) {
  const el = document.getElementById(input_id);
  const f = el && el.files && el.files[0];
  if (!f) return;
  f.text().then(t => { cb(t); el.value = ''; });
}
"#)]
extern "C" {
    pub fn fmt_money(locale: &str, currency: &str, amount: &str, digits: i32) -> String;
    pub fn fmt_int(locale: &str, value: &str) -> String;
    pub fn fmt_compact(locale: &str, value: &str) -> String;
    pub fn fmt_date(locale: &str, ymd: &str, style: &str) -> String;
    pub fn time_zones() -> String;
    pub fn browser_zone() -> String;
    pub fn file_base(name: &str) -> String;
    pub fn browser_lang() -> String;
    pub fn storage_get(key: &str) -> Option<String>;
    pub fn storage_set(key: &str, value: &str) -> bool;
    pub fn storage_remove(key: &str);
    /// Writes `text` into IndexedDB under `key` (gzipped when smaller), then calls `cb`
    /// (if not `undefined`) with `(ok: bool, error: String)`. Records `save_ms`,
    /// `save_raw_bytes` and `save_stored_bytes` in the performance figures.
    pub fn idb_save(key: &str, text: &str, cb: &JsValue);
    /// Reads `key` from IndexedDB, then calls `cb` with `(text, error, unreadable)`: the
    /// text, or `undefined` and `undefined` when nothing is stored, or an error, with
    /// `unreadable` true when a record exists but cannot be decoded (it is then copied to
    /// `key + ".unreadable"`) and false when IndexedDB cannot be used.
    /// `idb_save` for a text already gzipped (`gz`, an `ArrayBuffer` of `raw` bytes' text).
    pub fn idb_save_gz(key: &str, gz: &JsValue, raw: f64, cb: &JsValue);
    pub fn idb_load(key: &str, cb: &JsValue);
    pub fn location_hash() -> String;
    pub fn clear_hash();
    pub fn page_url() -> String;
    pub fn download(name: &str, mime: &str, text: &str);
    pub fn copy_text(text: &str) -> bool;
    /// The zlib-compressed, base64url text of `text` (a share link's data), to `cb`.
    pub fn share_pack(text: &str, cb: &JsValue);
    /// Undoes `share_pack`: the text to `cb`, or `undefined` when the data is damaged or
    /// unpacks to more than `max` bytes.
    pub fn share_unpack(data: &str, max: u32, cb: &JsValue);
    /// A file of the page's origin (a path relative to the page) as text to `cb`, or
    /// `undefined` when it cannot be had (HTTP error, network failure).
    pub fn fetch_text(path: &str, cb: &JsValue);
    /// The same as bytes (a `Uint8Array`).
    pub fn fetch_bytes(path: &str, cb: &JsValue);
    pub fn remove_boot();
    pub fn show_fatal(msg: &str);
    pub fn is_typing() -> bool;
    pub fn on_undo_keys(cb: &Closure<dyn Fn(String)>);
    pub fn on_page_hide(cb: &Closure<dyn Fn()>);
    pub fn now_ms() -> f64;
    pub fn set_perf(name: &str, value: f64);
    pub fn focus_selector(sel: &str) -> bool;
    pub fn focus_later(sel: &str);
    pub fn later(ms: u32, cb: &JsValue);
    pub fn print_page();
    pub fn set_doc_lang(lang: &str, title: &str);
    pub fn read_file(input_id: &str, cb: &Closure<dyn FnMut(String)>);
}
