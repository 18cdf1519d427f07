// TypeScript declarations of flexcalc-widget.js: the <flex-estimator> element and the
// JavaScript API (docs/embedding.md). Money is a decimal string ("75000.00"), never a
// number; tokens are whole numbers.

/** A decimal amount of money as the engine writes it: "75000.00", "3.08", "120000". */
export type Money = string;
export type Currency = 'JPY' | 'EUR' | 'GBP' | (string & {});
export type Lang = 'en' | 'fr' | 'ja';

/** A scenario, format version 1 (docs/scenario-format.md). */
export interface Scenario {
  flexcalc: 1;
  name?: string;
  currency: Currency;
  timezone: string;
  period: { start: string; months: number };
  packs?: Array<{ id: string; purchased: string; tokens: number }> | null;
  low_balance_percent?: number;
  offerings?: Offering[];
  catalog?: {
    products?: Array<{ id: string; name?: string; tokens_per_day: number }>;
    services?: Array<{ id: string; name?: string; tokens: number; unit?: string }>;
  };
  price_book?: PriceBook;
  users?: User[];
}

export interface Offering {
  id: string;
  name?: string;
  covers: string[];
  annual: Money;
  monthly?: Money;
}

export interface PriceBook {
  currency: Currency;
  minor_units: number;
  tiers: Array<{ from: number; price: Money }>;
  packs: number[];
}

export interface Usage {
  product: string;
  sessions?: Array<{ start: string; end: string; inactive?: Array<[string, string]> }>;
  weekly?: { days: string[]; from: string; to: string };
  monthly?: { days: number; from: string; to: string };
  dates?: { dates: string[]; from: string; to: string };
  months?: number[];
  except?: string[];
  idle_detection?: boolean;
  plugins?: string[];
}

export interface User {
  id: string;
  name?: string;
  timezone?: string;
  subscriptions?: Array<{ offering: string; from: string; to: string }>;
  usage?: Usage[];
  results?: Array<{ service: string; at: string; quantity: number }>;
}

/** The cheapest order (rule P3). */
export interface Order {
  currency: Currency;
  tokens_needed: number;
  tokens: number;
  /** Pack sizes, largest first. */
  packs: number[];
  /** null for the empty order. */
  unit_price: Money | null;
  total: Money;
}

export interface Charge {
  user: string;
  product?: string;
  service?: string;
  at: string;
  tokens: number;
  kind: 'daily' | 'result';
}

/** The report of `flexcalc simulate` (docs/scenario-format.md, "The report"). */
export interface Report {
  charges?: Charge[];
  denials?: Array<Charge & { reason: string }>;
  expirations: Array<{ pack: string; at: string; tokens: number }>;
  alerts: Array<{ at: string; balance: number }>;
  packs: Array<{ id: string; used: number; expired: number; remaining: number; expires: string; returnable: boolean }>;
  totals: {
    tokens: number;
    by_user: Record<string, number>;
    by_product: Record<string, number>;
    by_month: Record<string, number>;
  };
  /** Only when the scenario has no packs. */
  order?: Order;
}

/** `flexcalc quote`: the cheapest order, and `exact` for comparison. */
export interface Quote extends Order {
  exact: Order;
}

export interface PlanCost {
  subscriptions: Money;
  tokens: number;
  order: Order;
  total: Money;
}

export interface Plan {
  subscriptions: Array<{ user: string; offering: string; from: string; to: string; term: string; price: Money }>;
  users: Array<{ user: string; subscriptions: unknown[]; flex_products: string[]; tokens: number; subscription_cost: Money }>;
  cost: PlanCost;
}

/** `flexcalc advise` (docs/advisor.md). */
export interface Advice {
  currency: Currency;
  plan: Plan;
  all_flex: Plan;
  all_subscription: Plan;
  current: Plan;
  saving: { all_flex: Money; all_subscription: Money; current: Money };
  break_even: Array<{
    user: string;
    product: string;
    offering: string | null;
    annual: Money | null;
    tokens_per_day: number;
    unit_price: Money;
    days_per_month: number | null;
    used_days_per_month: number;
    verdict: 'flex' | 'subscription' | 'even';
  }>;
  lower_bound: Money;
  gap: Money;
  optimal: boolean;
  search: Record<string, unknown>;
  /** With `{ sensitivity: true }`. */
  sensitivity?: Record<string, unknown>;
}

/** The compact widget's figures (`estimate`). */
export interface Estimate {
  currency: Currency;
  minor_units: number;
  months: number;
  users: number;
  tokens: number;
  tokens_denied: number;
  order: Order | null;
  total: Money;
  per_user_month: Money | null;
  by_product: Array<[string, number]>;
  compare: Array<{
    product: string;
    offering: string | null;
    annual: Money | null;
    flex: Money;
    tokens: number;
    days_per_month: number | null;
    used_days_per_month: number;
    verdict: 'flex' | 'subscription' | 'even';
  }>;
  plans: { plan: Money; all_flex: Money; all_subscription: Money; optimal: boolean } | null;
}

export interface Catalog {
  products: Array<{ id: string; name: string; tokens_per_day: number }>;
  currencies: Currency[];
  books: PriceBook[];
  as_of: string;
}

/** Resolves once the engine is loaded. */
export const ready: Promise<void>;
export const timings: { moduleStart: number; engineReady: number | null; firstEstimate: number | null };

/** A scenario object, or its JSON text. Bad input rejects with an Error whose message is
 * the engine's located message (`users[0].usage[0].weekly.from: …`). */
export type ScenarioInput = Scenario | string;

export function simulate(scenario: ScenarioInput, options?: { summary?: boolean }): Promise<Report>;
export function simulateText(scenario: ScenarioInput, options?: { summary?: boolean }): Promise<string>;
export function advise(scenario: ScenarioInput, options?: { sensitivity?: boolean }): Promise<Advice>;
export function adviseText(scenario: ScenarioInput, options?: { sensitivity?: boolean }): Promise<string>;
export function quote(currency: Currency, tokens: number | string, priceBook?: PriceBook | string): Promise<Quote>;
export function catalog(lang?: Lang): Promise<Catalog>;
export function estimate(scenario: ScenarioInput): Promise<Estimate>;
export function shareLink(scenario: Scenario, app?: string): Promise<string>;

/** The iframe form's partner side (docs/embedding.md). */
export interface AppConnection {
  /** Resolves with the app's `flexcalc:ready` detail; rejects after 40 unanswered hellos. */
  ready: Promise<{ version: number }>;
  setScenario(scenario: Scenario): Promise<EstimateDetail>;
  getEstimate(): Promise<EstimateDetail>;
  on(type: 'flexcalc:estimate' | 'flexcalc:ready', listener: (detail: EstimateDetail) => void): void;
  close(): void;
}
export function connectApp(iframe: HTMLIFrameElement, origin: string): AppConnection;

/** `estimate-change`'s detail. */
export interface EstimateDetail {
  tokens: number;
  currency: Currency;
  total: Money;
  order: Order | null;
  perUserMonth?: Money | null;
  scenario: Scenario;
}

/** `estimate-cta`'s detail: the estimate and the app's share link. */
export interface CtaDetail extends EstimateDetail {
  share: string;
}

/** The `config` attribute's JSON. */
export interface WidgetConfig {
  price_book?: PriceBook;
  offerings?: Offering[];
  branding?: { name?: string; logo?: string; accent?: string };
  /** `href` receives the share link in place of `{share}`; without it, only the event. */
  cta?: { label?: string; href?: string };
  /** The full app's address (layout="full" and share links); default ../ beside the module. */
  app?: string;
}

export class FlexEstimator extends HTMLElement {
  /** The last estimate (as in `estimate-change`), or null. */
  readonly estimate: EstimateDetail | null;
  /** The scenario last sent to the engine. */
  readonly scenario: Scenario | null;
}

declare global {
  interface HTMLElementTagNameMap {
    'flex-estimator': FlexEstimator;
  }
  interface HTMLElementEventMap {
    'estimate-change': CustomEvent<EstimateDetail>;
    'estimate-cta': CustomEvent<CtaDetail>;
  }
}
