// A partner's TypeScript against the widget's declarations (www/widget/flexcalc-widget.d.ts):
// `tsc --noEmit -p e2e/widget-types` (the e2e suite runs it). It is type-checked only,
// never run.
import {
  ready, simulate, advise, quote, catalog, shareLink,
  type Scenario, type Report, type Quote, type Advice, type EstimateDetail, type WidgetConfig,
} from '../../www/widget/flexcalc-widget.js';

const scenario: Scenario = {
  flexcalc: 1,
  currency: 'EUR',
  timezone: 'Europe/Paris',
  period: { start: '2027-01-01', months: 12 },
  users: [{ id: 'ana', usage: [{ product: 'revit', monthly: { days: 4, from: '09:00', to: '17:00' } }] }],
};

export async function partner(): Promise<string> {
  await ready;
  const report: Report = await simulate(scenario, { summary: true });
  const tokens: number = report.totals.tokens;
  const total: string | undefined = report.order?.total;
  const q: Quote = await quote('GBP', tokens);
  const cheaper: boolean = q.exact.total !== q.total;
  const advice: Advice = await advise(scenario);
  const verdicts = advice.break_even.map((b) => `${b.product}: ${b.verdict}`);
  const products = (await catalog('fr')).products.map((p) => p.name);
  try {
    await simulate('{"flexcalc": 1');
  } catch (e) {
    if (e instanceof Error) console.log(e.message);
  }
  const link: string = await shareLink(scenario);
  return `${tokens} ${total} ${cheaper} ${verdicts.join()} ${products.length} ${link}`;
}

const config: WidgetConfig = {
  offerings: [{ id: 'revit-sub', covers: ['revit'], annual: '3000.00' }],
  branding: { name: 'Northwind', accent: '#0b7a3e' },
  cta: { href: 'https://partner.example/quote?estimate={share}' },
};

const el = document.createElement('flex-estimator');
el.setAttribute('config', JSON.stringify(config));
el.addEventListener('estimate-change', (e) => {
  const d: EstimateDetail = e.detail;
  console.log(d.tokens, d.total, d.currency, d.order?.packs.join('+'));
});
el.addEventListener('estimate-cta', (e) => console.log(e.detail.share));
document.body.append(el);
const last: EstimateDetail | null = el.estimate;
console.log(last?.total);
