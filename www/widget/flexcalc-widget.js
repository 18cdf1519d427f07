// flexcalc's partner widget: the <flex-estimator> custom element and the JavaScript API
// (docs/embedding.md). One ES module; the engine is engine_bg.wasm beside it (the Rust
// engine, src/bin/widget.rs), loaded once per page and shared by every widget. Every file
// is found relative to this module's own URL, so the widget may be served from another
// origin than the page.
//
// The engine runs on the page's main thread: a compact estimate takes a few milliseconds,
// and a module worker cannot be started from another origin (nor from a blob: URL under
// the strict policy partners use). This script computes no token and no amount of money:
// it builds a scenario (docs/scenario-format.md), asks the engine, and formats the
// engine's decimal strings with Intl.NumberFormat.
const HERE = import.meta.url;
const LANGS = ['en', 'fr', 'ja'];
const t0 = performance.now();

// The wasm is fetched and compiled from the moment this module runs, beside the glue and
// the strings (dynamic imports, so that none of them waits for another).
const WASM = new URL('engine_bg.wasm', HERE);
const compiled = WebAssembly.compileStreaming(fetch(WASM)).catch(() => fetch(WASM).then((r) => {
  // Served without the application/wasm type: compiled from the bytes instead.
  if (!r.ok) throw new Error(`${WASM.href}: HTTP ${r.status}`);
  return r.arrayBuffer();
}).then((b) => WebAssembly.compile(b)));
let engine = null;
let STRINGS = null;

/** Resolves once the engine is loaded (rejects if the wasm cannot be fetched). */
export const ready = Promise.all([import('./engine.js'), compiled, import('./widget-strings.js')])
  .then(async ([glue, module, strings]) => {
    await glue.default({ module_or_path: module });
    engine = glue;
    STRINGS = strings.STRINGS;
  });
// A failed load is reported by every call and every widget; not as an unhandled rejection.
ready.catch(() => {});

/** Timings (ms, from performance.now()): when this module started running, and when the
 * first widget showed its first estimate. */
export const timings = { moduleStart: t0, engineReady: null, firstEstimate: null };
ready.then(() => { timings.engineReady = performance.now(); }, () => {});

// ---------------------------------------------------------------------------------------
// Time zones: UTC is built in; any other zone a scenario names is fetched once from
// tz/ beside this module (one TZif file per zone, tz/index.txt lists them) and registered.

let zoneIndex = null;
const zoneLoads = new Map();

function zoneNames(text) {
  let s;
  try { s = JSON.parse(text); } catch { return []; }
  if (!s || typeof s !== 'object') return [];
  const names = [s.timezone];
  if (Array.isArray(s.users)) for (const u of s.users) if (u && typeof u === 'object') names.push(u.timezone);
  return [...new Set(names.filter((n) => typeof n === 'string' && n.length > 0 && n.length < 64))];
}

async function loadZones(text) {
  const wanted = zoneNames(text).filter((n) => !engine.known_zone(n));
  if (!wanted.length) return;
  if (!zoneIndex) {
    zoneIndex = fetch(new URL('tz/index.txt', HERE)).then((r) => (r.ok ? r.text() : ''))
      .then((t) => t.split('\n').filter(Boolean), () => []);
  }
  const index = await zoneIndex;
  await Promise.all(wanted.map((name) => {
    const canonical = index.find((n) => n.toLowerCase() === name.toLowerCase());
    // Not a zone the data knows: left to the engine, which refuses it with its message.
    if (!canonical) return null;
    if (!zoneLoads.has(canonical)) {
      zoneLoads.set(canonical, fetch(new URL(`tz/${canonical}`, HERE))
        .then((r) => (r.ok ? r.arrayBuffer() : null))
        .then((b) => { if (b) engine.register_zone(canonical, new Uint8Array(b)); }, () => {}));
    }
    return zoneLoads.get(canonical);
  }));
}

// ---------------------------------------------------------------------------------------
// The JavaScript API: the CLI's answers (docs/cli.md), as plain objects.

const asText = (scenario) => (typeof scenario === 'string' ? scenario : JSON.stringify(scenario));

/** Runs an engine call, turning a wasm-bindgen error into a plain `Error` with the
 * engine's message. */
function call(f) {
  try {
    return f();
  } catch (e) {
    throw new Error(e && e.message ? e.message : String(e));
  }
}

/** The report of `flexcalc simulate` as JSON text, byte for byte the CLI's (without the
 * final newline). `scenario`: an object, or the scenario's JSON text. */
export async function simulateText(scenario, options = {}) {
  await ready;
  const text = asText(scenario);
  await loadZones(text);
  return call(() => engine.simulate(text, !!options.summary));
}

/** `flexcalc simulate` (`{summary: true}`: `--summary`): the report as a plain object. */
export async function simulate(scenario, options = {}) {
  return JSON.parse(await simulateText(scenario, options));
}

/** `flexcalc advise` (`{sensitivity: true}`: `--sensitivity`): the advice as JSON text. */
export async function adviseText(scenario, options = {}) {
  await ready;
  const text = asText(scenario);
  await loadZones(text);
  return call(() => engine.advise_text(text, !!options.sensitivity));
}

/** `flexcalc advise`: the advice as a plain object. */
export async function advise(scenario, options = {}) {
  return JSON.parse(await adviseText(scenario, options));
}

/** `flexcalc quote --currency C --tokens N`: the cheapest order of at least `tokens`
 * tokens, in the built-in book of `currency` or in `priceBook` (the scenario format's
 * `price_book`). */
export async function quote(currency, tokens, priceBook) {
  await ready;
  const book = priceBook == null ? '' : asText(priceBook);
  return JSON.parse(call(() => engine.quote(String(currency), String(tokens), book)));
}

/** The built-in catalog: products (id, name in `lang`, tokens a day), currencies, price books. */
export async function catalog(lang = 'en') {
  await ready;
  return catalogOf(lang);
}

const catalogs = new Map();
function catalogOf(lang) {
  if (!catalogs.has(lang)) catalogs.set(lang, JSON.parse(engine.catalog(lang)));
  return catalogs.get(lang);
}

/** The compact widget's figures for a scenario (src/bin/widget.rs `estimate`). */
export async function estimate(scenario) {
  await ready;
  const text = asText(scenario);
  await loadZones(text);
  return JSON.parse(call(() => engine.estimate(text)));
}

/** The app's share link for a scenario: the app's address with `#s=` and the scenario's
 * JSON, zlib-compressed (CompressionStream 'deflate') and base64url-encoded without padding
 * (src/ui/share.rs). */
export async function shareLink(scenario, app = new URL('../', HERE).href) {
  const bytes = new TextEncoder().encode(JSON.stringify(scenario, null, 2));
  const packed = new Uint8Array(await new Response(new Blob([bytes]).stream()
    .pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
  let bin = '';
  for (let i = 0; i < packed.length; i += 0x8000) bin += String.fromCharCode(...packed.subarray(i, i + 0x8000));
  const b64 = btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${String(app).split('#')[0]}#s=${b64}`;
}

// ---------------------------------------------------------------------------------------
// The iframe form's partner side: the full app in an iframe, spoken to by postMessage with
// exact origins both ways (docs/embedding.md, "The iframe form and its messages").

/** Connects to the app in `iframe`, whose origin must be `origin` (exact, never '*'):
 * says `flexcalc:hello` once the frame has loaded (again every 250 ms, 40 times at most,
 * until the app answers `flexcalc:ready`), then asks and listens. Messages from any other
 * origin or window are ignored. Returns {ready, setScenario(s), getEstimate(), on(type, f),
 * close()}; `ready` rejects if the app never answers. */
export function connectApp(iframe, origin) {
  if (typeof origin !== 'string' || origin === '*') throw new Error('connectApp: origin must be an exact origin, such as https://estimator.example');
  const appOrigin = new URL(origin).origin;
  if (appOrigin === 'null') throw new Error(`connectApp: ${origin} has no origin`);
  let seq = 0;
  let timer = null;
  let closed = false;
  const pending = new Map();
  const handlers = new Map();
  let hello;
  const ready = new Promise((ok, ko) => { hello = { ok, ko }; });
  ready.catch(() => {});
  const post = (m) => iframe.contentWindow && iframe.contentWindow.postMessage({ flexcalc: 1, ...m }, appOrigin);
  const onMessage = (e) => {
    if (e.origin !== appOrigin || e.source !== iframe.contentWindow) return;
    const m = e.data;
    if (!m || typeof m !== 'object' || m.flexcalc !== 1 || typeof m.type !== 'string') return;
    if (m.type === 'flexcalc:ready') {
      clearInterval(timer);
      hello.ok(m.detail);
      return;
    }
    if (m.id != null && pending.has(m.id)) {
      const { ok, ko } = pending.get(m.id);
      pending.delete(m.id);
      if (m.type === 'flexcalc:error') ko(new Error(String(m.detail && m.detail.message)));
      else ok(m.detail);
      return;
    }
    for (const f of handlers.get(m.type) || []) f(m.detail);
  };
  const greet = () => {
    if (closed) return;
    clearInterval(timer);
    let tries = 0;
    const say = () => {
      // Only once the frame shows the app's origin (posting to a frame still on
      // about:blank would be refused with a console error).
      let at;
      try { at = iframe.contentWindow.location.origin; } catch { at = 'another origin'; }
      if (++tries > 40) { clearInterval(timer); hello.ko(new Error(`connectApp: no answer from ${appOrigin}`)); return; }
      if (at === appOrigin || (at === 'another origin' && appOrigin !== window.location.origin)) post({ type: 'flexcalc:hello' });
    };
    timer = setInterval(say, 250);
    say();
  };
  window.addEventListener('message', onMessage);
  iframe.addEventListener('load', greet);
  greet();
  const ask = (type, detail) => ready.then(() => new Promise((ok, ko) => {
    const id = ++seq;
    pending.set(id, { ok, ko });
    post({ type, id, detail });
  }));
  return {
    ready,
    setScenario: (scenario) => ask('flexcalc:set-scenario', { scenario }),
    getEstimate: () => ask('flexcalc:get-estimate'),
    on(type, f) {
      if (!handlers.has(type)) handlers.set(type, []);
      handlers.get(type).push(f);
    },
    close() {
      closed = true;
      clearInterval(timer);
      window.removeEventListener('message', onMessage);
      iframe.removeEventListener('load', greet);
      hello.ko(new Error('connectApp: closed'));
      for (const { ko } of pending.values()) ko(new Error('connectApp: closed'));
      pending.clear();
    },
  };
}

// ---------------------------------------------------------------------------------------
// <flex-estimator>

const STYLE = `
:host { all: initial; display: block; contain: content; }
:host([hidden]) { display: none; }
.w {
  all: initial; display: block; box-sizing: border-box;
  font-family: var(--flex-font, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK JP", sans-serif);
  font-size: var(--flex-font-size, 15px); line-height: 1.45; color: var(--flex-fg, #1b2430);
  background: var(--flex-bg, #ffffff); border: 1px solid var(--flex-border, #d5dbe3);
  border-radius: var(--flex-radius, 12px); padding: var(--flex-padding, 18px);
  max-width: var(--flex-max-width, 560px); text-align: start; -webkit-text-size-adjust: 100%;
}
.w *, .w *::before, .w *::after { box-sizing: border-box; font: inherit; color: inherit; letter-spacing: normal; text-transform: none; }
header { display: flex; align-items: center; gap: 10px; margin: 0 0 12px; }
header img { max-height: 32px; max-width: 120px; }
.title { font-weight: 700; font-size: 1.15em; }
form { display: grid; gap: 12px; margin: 0; }
label, legend { display: block; font-weight: 600; margin: 0 0 4px; padding: 0; }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
.row { display: flex; flex-wrap: wrap; gap: 8px 10px; align-items: center; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; max-height: 9.5em; overflow: auto; }
.chip { display: inline-flex; align-items: center; gap: 5px; font-weight: 400; border: 1px solid var(--flex-border, #d5dbe3);
  border-radius: 999px; padding: 3px 10px 3px 6px; margin: 0; cursor: pointer; background: var(--flex-bg, #fff); }
.chip:has(input:checked) { border-color: var(--flex-accent, #0a66c2); background: color-mix(in srgb, var(--flex-accent, #0a66c2) 10%, var(--flex-bg, #fff)); }
input[type=checkbox] { accent-color: var(--flex-accent, #0a66c2); margin: 0; width: 15px; height: 15px; }
input[type=number], select { border: 1px solid var(--flex-border, #b8c2cf); border-radius: calc(var(--flex-radius, 12px) / 2);
  padding: 6px 8px; background: var(--flex-input-bg, #fff); min-height: 34px; }
input[type=number] { width: 6.5em; }
input:focus-visible, select:focus-visible, button:focus-visible { outline: 2px solid var(--flex-accent, #0a66c2); outline-offset: 2px; }
.result { margin-top: 16px; border-top: 1px solid var(--flex-border, #d5dbe3); padding-top: 14px; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; }
.stat { display: flex; flex-direction: column; }
.value { font-size: 1.45em; font-weight: 700; color: var(--flex-accent, #0a66c2); font-variant-numeric: tabular-nums; }
.label { font-size: .85em; color: var(--flex-muted, #5b6675); }
.sub { font-size: .85em; color: var(--flex-muted, #5b6675); }
table { border-collapse: collapse; width: 100%; margin-top: 12px; font-size: .9em; }
caption { text-align: start; font-weight: 600; margin-bottom: 4px; }
th, td { text-align: start; padding: 4px 6px; border-bottom: 1px solid var(--flex-border, #e3e7ed); vertical-align: top; }
td.n, th.n { text-align: end; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
.verdict { display: block; }
.best { font-weight: 700; color: var(--flex-accent, #0a66c2); }
.error { margin-top: 12px; border: 1px solid #c0392b; background: #fdf0ee; color: #8a1f12; border-radius: calc(var(--flex-radius, 12px) / 2); padding: 10px 12px; }
.error strong { display: block; }
.error code { font-family: ui-monospace, monospace; font-size: .92em; overflow-wrap: anywhere; }
.w button { margin-top: 14px; border: 0; border-radius: var(--flex-radius, 12px); background: var(--flex-accent, #0a66c2);
  color: var(--flex-accent-fg, #fff); padding: 9px 18px; font-weight: 700; cursor: pointer; }
footer { margin-top: 12px; font-size: .75em; color: var(--flex-muted, #5b6675); }
[aria-busy=true] .stats { opacity: .55; }
iframe { display: block; width: 100%; height: var(--flex-frame-height, 900px); border: 0; border-radius: var(--flex-radius, 12px); }
.full { padding: 0; max-width: none; overflow: hidden; }
[hidden] { display: none !important; }
`;

let sheet = null;
function styles(root) {
  try {
    if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(STYLE); }
    root.adoptedStyleSheets = [sheet];
  } catch {
    const s = document.createElement('style');
    s.textContent = STYLE;
    root.append(s);
  }
}

const TEMPLATES = {
  occasional: { monthly: { days: 3, from: '09:00', to: '17:00' } },
  parttime: { weekly: { days: ['tue', 'thu'], from: '09:00', to: '17:30' } },
  fulltime: { weekly: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:30' } },
  seasonal: { weekly: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:30' }, months: [3, 4, 5] },
};
const DEFAULT_PRODUCTS = ['autocad', 'revit', '3dsmax', 'maya', 'inventor', 'fusion'];
const MAX_PEOPLE = 500;

/** A problem with one attribute, shown in the widget. */
class AttrError extends Error {
  constructor(attr, message) { super(message); this.attr = attr; }
}

function h(tag, props = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v[0], v[1]);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) if (k != null) e.append(k);
  return e;
}

const formatters = new Map();
function formatter(lang, options) {
  const key = `${lang} ${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, new Intl.NumberFormat(lang, options));
  return formatters.get(key);
}

function fill(s, vars) { return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m)); }

function firstOfNextMonth() {
  const d = new Date();
  const y = d.getMonth() === 11 ? d.getFullYear() + 1 : d.getFullYear();
  const m = (d.getMonth() + 1) % 12 + 1;
  return `${y}-${String(m).padStart(2, '0')}-01`;
}

export class FlexEstimator extends HTMLElement {
  static get observedAttributes() { return ['currency', 'lang', 'products', 'scenario', 'scenario-src', 'layout', 'config']; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    styles(this.shadowRoot);
    this._form = { people: 5, products: null, template: 'occasional', days: 3 };
    this._gen = 0;
    this._estimate = null;
    this._scenario = null;
    this._srcText = null;
    this._srcUrl = null;
  }

  connectedCallback() {
    this._abort = new AbortController();
    this._schedule(true);
  }

  disconnectedCallback() {
    // Listeners (on the widget's own elements and any outside it) and fetches in flight.
    if (this._abort) this._abort.abort();
    this._abort = null;
    this._gen++;
    if (this._built && this._built.link) this._built.link.close();
    this._mount(document.createTextNode(''));
    this._built = null;
  }

  attributeChangedCallback(name, old, value) {
    if (old === value || !this._abort) return;
    if (name === 'scenario-src') this._srcText = null;
    this._schedule(name === 'lang' || name === 'layout' || name === 'products' || name === 'config');
  }

  /** The latest estimate's detail (as in `estimate-change`), or null. */
  get estimate() { return this._estimate; }

  /** The scenario the widget last asked the engine about. */
  get scenario() { return this._scenario; }

  /** The widget's language: its `lang` attribute, else the page's nearest, else English. */
  get _language() {
    const l = (this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang') || 'en').slice(0, 2).toLowerCase();
    return LANGS.includes(l) ? l : 'en';
  }

  // Coalesces changes: one estimate per task. A rebuild asked for stays asked for until one
  // is done (an update superseded before it built leaves it to the next).
  _schedule(rebuild) {
    this._needsBuild = this._needsBuild || rebuild;
    if (this._pending) return;
    this._pending = true;
    queueMicrotask(() => {
      this._pending = false;
      if (this._abort) this._update();
    });
  }

  /** Shows `node` as the shadow root's content (keeping a fallback <style>, if any). */
  _mount(node) {
    this.shadowRoot.replaceChildren(...this.shadowRoot.querySelectorAll(':scope > style'), node);
  }

  _t(key, vars) {
    // Before the strings are in (the engine failed to load), English of the one message shown.
    const all = STRINGS || { en: { errorTitle: 'This estimate cannot be shown', attr: '{name} attribute: ' } };
    return fill((all[this._language] || all.en)[key] ?? all.en[key] ?? key, vars || {});
  }

  _config() {
    const raw = this.getAttribute('config');
    if (raw == null || raw.trim() === '') return {};
    let c;
    try { c = JSON.parse(raw); } catch (e) { throw new AttrError('config', `not JSON: ${e.message}`); }
    if (!c || typeof c !== 'object' || Array.isArray(c)) throw new AttrError('config', 'expected a JSON object');
    for (const k of Object.keys(c)) {
      if (!['price_book', 'offerings', 'branding', 'cta', 'app'].includes(k)) {
        throw new AttrError('config', `unknown member ${JSON.stringify(k)} (expected price_book, offerings, branding, cta, app)`);
      }
    }
    if (c.offerings != null && !Array.isArray(c.offerings)) throw new AttrError('config', 'offerings: expected an array');
    if (c.branding != null && (typeof c.branding !== 'object' || Array.isArray(c.branding))) throw new AttrError('config', 'branding: expected an object');
    if (c.branding?.accent != null && !CSS.supports('color', String(c.branding.accent))) {
      throw new AttrError('config', `branding.accent: ${JSON.stringify(c.branding.accent)} is not a CSS colour`);
    }
    if (c.cta != null) {
      if (typeof c.cta !== 'object' || Array.isArray(c.cta)) throw new AttrError('config', 'cta: expected an object');
      if (c.cta.href != null) {
        let u;
        try { u = new URL(String(c.cta.href).replace(/\{share\}/g, 'x'), document.baseURI); } catch { u = null; }
        if (!u || !/^https?:$/.test(u.protocol)) throw new AttrError('config', `cta.href: ${JSON.stringify(c.cta.href)} is not an http(s) address`);
      }
    }
    for (const k of ['app', 'full']) {
      if (c[k] != null) {
        let u;
        try { u = new URL(String(c[k]), document.baseURI); } catch { u = null; }
        if (!u || !/^https?:$/.test(u.protocol)) throw new AttrError('config', `${k}: ${JSON.stringify(c[k])} is not an http(s) address`);
      }
    }
    return c;
  }

  _currency(cfg, fallback) {
    const cur = this.getAttribute('currency') || fallback || 'EUR';
    const known = [...catalogOf('en').currencies];
    if (cfg.price_book?.currency && !known.includes(cfg.price_book.currency)) known.push(cfg.price_book.currency);
    if (!known.includes(cur)) throw new AttrError('currency', `${JSON.stringify(cur)} is not one of ${known.join(', ')}`);
    return cur;
  }

  _offered() {
    const all = catalogOf(this._language).products;
    const attr = this.getAttribute('products');
    if (attr == null || attr.trim() === '') return all.filter((p) => DEFAULT_PRODUCTS.includes(p.id));
    const ids = attr.split(',').map((s) => s.trim()).filter(Boolean);
    return ids.map((id) => {
      const p = all.find((x) => x.id === id);
      if (!p) throw new AttrError('products', `${JSON.stringify(id)} is not a product id of the catalog (for example ${all.slice(0, 4).map((x) => x.id).join(', ')})`);
      return p;
    });
  }

  /** The scenario of the visitor's answers (scenario format v1, docs/scenario-format.md). */
  _compactScenario(cfg, currency) {
    const f = this._form;
    const pattern = f.template === 'days'
      ? { monthly: { days: f.days, from: '09:00', to: '17:00' } }
      : TEMPLATES[f.template];
    const s = { flexcalc: 1, name: 'flex-estimator', currency, timezone: 'UTC', period: { start: firstOfNextMonth(), months: 12 } };
    this._withConfig(s, cfg, currency);
    s.users = [];
    for (let i = 0; i < f.people; i++) {
      s.users.push({ id: `person-${i + 1}`, usage: f.products.map((p) => ({ product: p, ...structuredClone(pattern) })) });
    }
    return s;
  }

  _withConfig(s, cfg, currency) {
    if (cfg.offerings && s.offerings == null) s.offerings = cfg.offerings;
    if (cfg.price_book && s.price_book == null && cfg.price_book.currency === currency) s.price_book = cfg.price_book;
  }

  async _partnerScenario(cfg) {
    const inline = this.getAttribute('scenario');
    const src = this.getAttribute('scenario-src');
    let text;
    let attr;
    if (inline != null && inline.trim() !== '') {
      text = inline;
      attr = 'scenario';
    } else if (src) {
      attr = 'scenario-src';
      if (this._srcText == null || this._srcUrl !== src) {
        let r;
        try {
          r = await fetch(new URL(src, document.baseURI), { signal: this._abort?.signal });
        } catch (e) {
          if (e.name === 'AbortError') throw e;
          throw new AttrError(attr, `${src} could not be fetched (${e.message})`);
        }
        if (!r.ok) throw new AttrError(attr, `${src} could not be fetched (HTTP ${r.status})`);
        this._srcText = await r.text();
        this._srcUrl = src;
      }
      text = this._srcText;
    } else {
      return null;
    }
    let s;
    try { s = JSON.parse(text.replace(/^\uFEFF/, '')); } catch {
      // Not JSON: the engine's message says where (line and column).
      try { engine.estimate(text); } catch (e) { throw new AttrError(attr, e.message); }
      throw new AttrError(attr, 'not JSON');
    }
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw new AttrError(attr, 'expected a scenario object (docs/scenario-format.md)');
    const currency = this._currency(cfg, s.currency);
    s.currency = currency;
    this._withConfig(s, cfg, currency);
    return { s, attr };
  }

  async _update() {
    const gen = ++this._gen;
    let cfg = {};
    try {
      await ready;
    } catch (e) {
      return this._showError(null, `the engine could not be loaded (${e && e.message ? e.message : e})`);
    }
    if (gen !== this._gen) return;
    try {
      cfg = this._config();
      this._cfg = cfg;
      if ((this.getAttribute('layout') || 'compact') === 'full') return await this._full(cfg, gen);
      if (this._needsBuild || !this._built || this._built.kind !== 'compact') {
        this._needsBuild = false;
        this._build(cfg);
      }
      const partner = await this._partnerScenario(cfg);
      if (gen !== this._gen) return;
      let s;
      let attr = 'scenario';
      if (partner) {
        ({ s, attr } = partner);
      } else {
        const currency = this._currency(cfg);
        if (!this._form.products.length) return this._showError(null, this._t('noProducts'), true);
        s = this._compactScenario(cfg, currency);
        attr = null;
      }
      this._built.form.hidden = !!partner;
      this._built.result.setAttribute('aria-busy', 'true');
      const text = JSON.stringify(s);
      await loadZones(text);
      if (gen !== this._gen) return;
      let est;
      try {
        est = JSON.parse(engine.estimate(text));
      } catch (e) {
        const msg = e && e.message ? e.message : String(e);
        // The engine's located message; a config-supplied part is the config's fault.
        const fromConfig = (/^price_book/.test(msg) && cfg.price_book) || (/^offerings/.test(msg) && cfg.offerings);
        throw new AttrError(fromConfig ? 'config' : (attr || 'products'), msg);
      }
      this._scenario = s;
      this._show(est, s, cfg, partner);
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      if (gen !== this._gen) return;
      if (e instanceof AttrError) return this._showError(e.attr, e.message);
      this._showError(null, e && e.message ? e.message : String(e));
    }
  }

  _frame() {
    const c = h('div', { class: 'w', part: 'container' });
    const accent = this._cfg?.branding?.accent;
    if (accent) c.style.setProperty('--flex-accent', accent);
    return c;
  }

  _build(cfg) {
    const signal = this._abort.signal;
    const offered = this._offered();
    if (this._form.products == null || this._form.products.some((p) => !offered.find((o) => o.id === p))) {
      this._form.products = offered.slice(0, 1).map((p) => p.id);
    }
    const f = this._form;
    const on = (f2) => [f2, { signal }];
    const changed = () => this._schedule(false);
    if (this._built && this._built.link) this._built.link.close();
    const w = this._frame();
    const brand = cfg.branding || {};
    const header = h('header', { part: 'header' },
      brand.logo ? h('img', { src: String(brand.logo), alt: '', part: 'logo' }) : null,
      h('span', { class: 'title', part: 'title', text: brand.name ? String(brand.name) : this._t('title') }));
    const id = (s) => `fe-${s}`;
    const people = h('input', { type: 'number', id: id('people'), min: 1, max: MAX_PEOPLE, step: 1, value: f.people, part: 'input', inputmode: 'numeric',
      oninput: on((e) => {
        const n = Number(e.target.value);
        if (Number.isInteger(n) && n >= 1 && n <= MAX_PEOPLE) { f.people = n; changed(); }
      }) });
    const chips = h('div', { class: 'chips', role: 'group' }, offered.map((p) => h('label', { class: 'chip', part: 'product' },
      h('input', { type: 'checkbox', value: p.id, checked: f.products.includes(p.id),
        onchange: on((e) => {
          const set = new Set(f.products);
          if (e.target.checked) set.add(p.id); else set.delete(p.id);
          f.products = offered.map((o) => o.id).filter((x) => set.has(x));
          changed();
        }) }),
      document.createTextNode(p.name))));
    const days = h('input', { type: 'number', id: id('days'), min: 1, max: 31, step: 1, value: f.days, part: 'input', inputmode: 'numeric', 'aria-label': this._t('days'),
      hidden: f.template !== 'days',
      oninput: on((e) => {
        const n = Number(e.target.value);
        if (Number.isInteger(n) && n >= 1 && n <= 31) { f.days = n; changed(); }
      }) });
    const tpl = h('select', { id: id('usage'), part: 'select',
      onchange: on((e) => { f.template = e.target.value; days.hidden = f.template !== 'days'; changed(); }) },
    ['occasional', 'parttime', 'fulltime', 'seasonal', 'days'].map((k) => h('option', { value: k, selected: f.template === k, text: this._t(`tpl.${k}`) })));
    const form = h('form', { part: 'form', onsubmit: on((e) => e.preventDefault()) },
      h('div', {}, h('label', { for: id('people'), text: this._t('people') }), people),
      h('fieldset', {}, h('legend', { text: this._t('products') }), chips),
      h('div', {}, h('label', { for: id('usage'), text: this._t('usage') }), h('div', { class: 'row' }, tpl, days)));
    const result = h('section', { class: 'result', part: 'result', 'aria-live': 'polite', 'aria-busy': 'true' });
    const error = h('div', { class: 'error', part: 'error', role: 'alert', hidden: true });
    const cta = h('button', { type: 'button', part: 'cta', hidden: !cfg.cta, text: (cfg.cta && cfg.cta.label) ? String(cfg.cta.label) : this._t('cta'),
      onclick: on(() => this._cta()) });
    const footer = h('footer', { part: 'footer', text: this._t('footer', { asOf: catalogOf('en').as_of }) });
    w.append(header, form, result, error, cta, footer);
    this._mount(w);
    this._built = { kind: 'compact', form, result, error, cta };
  }

  _full(cfg, gen) {
    const inline = this.getAttribute('scenario');
    const base = cfg.app ? new URL(String(cfg.app), document.baseURI).href : new URL('../index.html', HERE).href;
    const set = (src) => {
      if (gen !== this._gen) return;
      const w = this._frame();
      w.classList.add('full');
      if (this._built && this._built.link) this._built.link.close();
      const frame = h('iframe', { src, title: this._t('full'), part: 'frame', loading: 'lazy' });
      w.append(frame);
      this._mount(w);
      // The app's estimates, once it answers the handshake (docs/embedding.md), become
      // this element's estimate-change events; an app that does not answer stays silent.
      const link = connectApp(frame, new URL(src).origin);
      link.on('flexcalc:estimate', (d) => {
        if (!d || typeof d !== 'object') return;
        this._estimate = d;
        this.dispatchEvent(new CustomEvent('estimate-change', { detail: d, bubbles: true, composed: true }));
      });
      link.ready.catch(() => {});
      this._abort.signal.addEventListener('abort', () => link.close());
      this._built = { kind: 'full', link };
    };
    if (inline && inline.trim()) {
      let s;
      try { s = JSON.parse(inline); } catch (e) { throw new AttrError('scenario', `not JSON: ${e.message}`); }
      return shareLink(s, base).then(set);
    }
    set(base);
    return undefined;
  }

  /** An amount (the engine's decimal string) in the widget's language, with as many
   * decimals as the engine wrote (Intl formats the string exactly, not as a float). */
  _fmtMoney(amount, currency) {
    if (amount == null) return '—';
    const dp = (String(amount).split('.')[1] || '').length;
    try {
      return formatter(this._language, { style: 'currency', currency, minimumFractionDigits: dp, maximumFractionDigits: dp }).format(amount);
    } catch {
      // Not an ISO 4217 code (a partner's own price book): the number and the code.
      return `${formatter(this._language, { minimumFractionDigits: dp, maximumFractionDigits: dp }).format(amount)} ${currency}`;
    }
  }

  _fmt(n, max = 0) { return formatter(this._language, { maximumFractionDigits: max }).format(n); }

  _show(est, s, cfg, partner) {
    const b = this._built;
    b.error.hidden = true;
    b.result.hidden = false;
    const cur = est.currency;
    const names = new Map(catalogOf(this._language).products.map((p) => [p.id, p.name]));
    const stat = (value, label, name) => h('div', { class: 'stat', part: `stat stat-${name}`, 'data-name': name },
      h('span', { class: 'value', part: 'value', text: value }), h('span', { class: 'label', part: 'label', text: label }));
    const stats = h('div', { class: 'stats' },
      stat(this._fmt(est.tokens), est.months === 12 ? this._t('tokensYear') : this._t('tokensPeriod', { n: est.months }), 'tokens'),
      stat(this._fmtMoney(est.total, cur), est.order ? this._t('order') : this._t('spent'), 'total'),
      est.per_user_month != null ? stat(this._fmtMoney(est.per_user_month, cur), this._t('perUser'), 'per-user') : null);
    const kids = [];
    if (partner) kids.push(h('p', { class: 'sub', text: this._t('scenario', { name: s.name || 'Scenario', users: est.users, months: est.months }) }));
    kids.push(stats);
    if (est.order && est.order.tokens > 0) {
      const packs = est.order.packs.length ? this._t('packs', { packs: est.order.packs.map((p) => this._fmt(p)).join(' + ') }) : '';
      kids.push(h('p', { class: 'sub', part: 'order', text: `${this._t('orderLine', { tokens: this._fmt(est.order.tokens), price: this._fmtMoney(est.order.unit_price, cur) })}${packs ? ` · ${packs}` : ''}` }));
    }
    if (est.tokens_denied > 0) kids.push(h('p', { class: 'sub', text: this._t('denied', { n: this._fmt(est.tokens_denied) }) }));
    if (est.compare.length) {
      // Three columns (it fits 300 px): the engine's verdict under the product's name.
      const rows = est.compare.map((c) => h('tr', { 'data-product': c.product, 'data-verdict': c.verdict },
        h('td', {}, h('span', { text: names.get(c.product) || c.product }), h('span', { class: 'sub verdict',
          text: c.days_per_month != null ? `${this._t(`v.${c.verdict}`)}${this._t('colon')}${this._t('breakEven', { d: this._fmt(c.days_per_month, 1) })}` : this._t('noOffer') })),
        h('td', { class: `n${c.verdict === 'flex' ? ' best' : ''}`, text: this._fmtMoney(c.flex, cur) }),
        h('td', { class: `n${c.verdict === 'subscription' ? ' best' : ''}`, text: c.annual != null ? this._fmtMoney(c.annual, cur) : '—' })));
      kids.push(h('table', { part: 'compare' },
        h('caption', { text: this._t('compare') }),
        h('thead', {}, h('tr', {}, h('th', { text: this._t('product') }), h('th', { class: 'n', text: this._t('flexYear') }), h('th', { class: 'n', text: this._t('subYear') }))),
        h('tbody', {}, rows)));
      if (est.plans) kids.push(h('p', { class: 'sub', part: 'plan', text: this._t('bestMix', { x: this._fmtMoney(est.plans.plan, cur), y: this._fmtMoney(est.plans.all_flex, cur) }) }));
    }
    b.result.replaceChildren(...kids);
    b.result.setAttribute('aria-busy', 'false');
    b.cta.hidden = !cfg.cta;
    const detail = { tokens: est.tokens, currency: cur, total: est.total, order: est.order, perUserMonth: est.per_user_month, scenario: s };
    this._estimate = detail;
    if (timings.firstEstimate == null) timings.firstEstimate = performance.now();
    this.dispatchEvent(new CustomEvent('estimate-change', { detail, bubbles: true, composed: true }));
  }

  _showError(attr, message, soft = false) {
    if (!this._built || this._built.kind !== 'compact') {
      const w = this._frame();
      const error = h('div', { class: 'error', part: 'error', role: 'alert' });
      w.append(error);
      this._mount(w);
      this._built = { kind: 'error', error };
    }
    const b = this._built;
    if (b.result) { b.result.hidden = true; b.result.setAttribute('aria-busy', 'false'); }
    if (b.cta) b.cta.hidden = true;
    b.error.hidden = false;
    b.error.replaceChildren(
      h('strong', { text: soft ? '' : this._t('errorTitle'), hidden: soft }),
      attr ? h('span', {}, ...this._t('attr', { name: '\u0000' }).split('\u0000').flatMap((x, i) => (i ? [h('code', { text: attr }), x] : [x])).filter((x) => x !== '')) : null,
      document.createTextNode(message));
    this._estimate = null;
  }

  async _cta() {
    const e = this._estimate;
    if (!e) return;
    const cfg = this._cfg || {};
    const app = cfg.app ? new URL(String(cfg.app), document.baseURI).href : new URL('../', HERE).href;
    const share = await shareLink(e.scenario, app);
    const ev = new CustomEvent('estimate-cta', { detail: { ...e, share }, bubbles: true, composed: true, cancelable: true });
    const go = this.dispatchEvent(ev);
    const href = cfg.cta && cfg.cta.href;
    if (go && href) window.open(String(href).replace(/\{share\}/g, encodeURIComponent(share)), '_blank', 'noopener');
  }
}

if (!customElements.get('flex-estimator')) customElements.define('flex-estimator', FlexEstimator);
