/**
 * What a new registry changed in what a period's reports print (issue 14: a revision's change list names added and
 * removed projects and every changed field, old → new), as bilingual lines for the programme summary (PDF and XLSX)
 * and the managers' e-mail. Values are written as the reports write them in each language (dates, amounts, rates).
 * Contacts are not listed: they are not printed (see `revision-policy.ts`), and neither is the reminder setting.
 */
import { formatAmount, formatDate, formatQuantity, formatRate } from './format';
import { activeProjects } from './report-model';
import type { Bilingual, ChangeNote, IndicatorDef, Lang, ProgrammeTarget, Project, Registry, Target } from './types';

/** How a field's value is written: as the reports write it. */
type Kind = 'text' | 'date' | 'amount' | 'quantity' | 'rate';

const PROJECT_FIELDS: [keyof Project, Bilingual, Kind][] = [
  ['contractNo', { lv: 'līguma Nr.', en: 'contract no.' }, 'text'],
  ['title', { lv: 'nosaukums', en: 'title' }, 'text'],
  ['beneficiary', { lv: 'finansējuma saņēmējs', en: 'beneficiary' }, 'text'],
  ['fund', { lv: 'fonds', en: 'fund' }, 'text'],
  ['specificObjective', { lv: 'specifiskais mērķis', en: 'specific objective' }, 'text'],
  ['start', { lv: 'sākums', en: 'start' }, 'date'],
  ['end', { lv: 'beigas', en: 'end' }, 'date'],
  ['eligibleCost', { lv: 'attiecināmās izmaksas, EUR', en: 'eligible cost, EUR' }, 'amount'],
  ['euRatePercent', { lv: 'ES līdzfinansējums', en: 'EU co-financing' }, 'rate'],
];
/** Project fields that are contacts or the key: never listed. */
const PROJECT_NOT_LISTED = new Set<string>(['id', 'coordinatorEmails']);

const TARGET_FIELDS: [keyof Target, Bilingual, Kind][] = [
  ['baseline', { lv: 'bāzes vērtība', en: 'baseline' }, 'quantity'],
  ['milestone', { lv: 'starpposma vērtība', en: 'milestone' }, 'quantity'],
  ['milestoneDate', { lv: 'starpposma datums', en: 'milestone date' }, 'date'],
  ['target', { lv: 'mērķa vērtība', en: 'target' }, 'quantity'],
];

const PROGRAMME_TARGET_FIELDS: [keyof ProgrammeTarget, Bilingual][] = [
  ['baseline', { lv: 'bāzes vērtība', en: 'baseline' }],
  ['milestone2024', { lv: '2024. gada starpposma vērtība', en: 'milestone 2024' }],
  ['target2029', { lv: '2029. gada mērķa vērtība', en: 'target 2029' }],
];

/** Indicator definition fields by their printed names; a field not named here is listed under its key. */
const INDICATOR_FIELDS: Partial<Record<keyof IndicatorDef, Bilingual>> = {
  name: { lv: 'nosaukums', en: 'name' },
  unit: { lv: 'mērvienība', en: 'unit' },
  type: { lv: 'veids', en: 'type' },
  aggregation: { lv: 'apkopošana', en: 'aggregation' },
  integer: { lv: 'tikai veseli skaitļi', en: 'whole numbers only' },
  breakdownOf: { lv: 'daļa no', en: 'part of' },
};

const DASH = '—';

function isBilingual(value: unknown): value is Bilingual {
  return typeof value === 'object' && value !== null && 'lv' in value && 'en' in value;
}

function show(value: unknown, kind: Kind, lang: Lang): string {
  if (value === null || value === undefined || value === '') return DASH;
  if (typeof value === 'number') {
    if (kind === 'amount') return formatAmount(value, lang);
    if (kind === 'rate') return formatRate(value, lang);
    return formatQuantity(value, lang);
  }
  if (typeof value === 'string') return kind === 'date' ? formatDate(value, lang) : value;
  if (isBilingual(value)) return value[lang];
  return JSON.stringify(value);
}

function changed(what: Bilingual, old: unknown, now: unknown, kind: Kind = 'text'): ChangeNote {
  const value = (v: unknown): Bilingual => ({ lv: show(v, kind, 'lv'), en: show(v, kind, 'en') });
  const [before, after] = [value(old), value(now)];
  const line = (lang: Lang) => `${what[lang]}: ${before[lang]} → ${after[lang]}`;
  return { lv: line('lv'), en: line('en'), what, old: before, new: after };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function prefixed(projectId: string, line: ChangeNote): ChangeNote {
  return { ...line, lv: `${projectId}, ${line.lv}`, en: `${projectId}, ${line.en}`, projectId };
}

const sortedKeys = <K>(a: Map<K, unknown>, b: Map<K, unknown>): K[] =>
  [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => (String(x) < String(y) ? -1 : 1));

/** Every printed registry difference between two versions for `period`, in a stable order. */
export function describeRegistryChanges(before: Registry, after: Registry, period: string): ChangeNote[] {
  const out: ChangeNote[] = [];
  const was = new Map(activeProjects(before, period).map((p) => [p.id, p]));
  const now = new Map(activeProjects(after, period).map((p) => [p.id, p]));
  for (const id of sortedKeys(was, now)) {
    const a = was.get(id);
    const b = now.get(id);
    if (!a && b) out.push(membership(id, b.title, 'added'));
    else if (a && !b) out.push(membership(id, a.title, 'removed'));
    else if (a && b) out.push(...projectChanges(a, b), ...listChanges(id, before, after));
  }
  if (before.settings.deadlineDays !== after.settings.deadlineDays) {
    out.push(
      changed(
        { lv: 'iesniegšanas termiņš, dienas pēc ceturkšņa', en: 'submission deadline, days after the quarter' },
        before.settings.deadlineDays,
        after.settings.deadlineDays,
        'quantity',
      ),
    );
  }
  out.push(...indicatorChanges(before.indicators, after.indicators));
  out.push(...programmeTargetChanges(before.programmeTargets ?? [], after.programmeTargets ?? []));
  return out;
}

/** A project added to or removed from the period's report (its dates or the registry changed). */
function membership(projectId: string, title: string, how: 'added' | 'removed'): ChangeNote {
  const word = how === 'added' ? { lv: 'pievienots', en: 'added' } : { lv: 'izņemts', en: 'removed' };
  const [none, named] = [
    { lv: DASH, en: DASH },
    { lv: title, en: title },
  ];
  return {
    lv: `Projekts ${projectId} ${word.lv}: ${title}`,
    en: `Project ${projectId} ${word.en}: ${title}`,
    projectId,
    what: { lv: `projekts ${word.lv}`, en: `project ${word.en}` },
    old: how === 'added' ? none : named,
    new: how === 'added' ? named : none,
  };
}

function projectChanges(a: Project, b: Project): ChangeNote[] {
  const out: ChangeNote[] = [];
  const known = new Set<string>(PROJECT_FIELDS.map(([field]) => field));
  for (const [field, name, kind] of PROJECT_FIELDS) {
    if (!same(a[field], b[field])) out.push(prefixed(a.id, changed(name, a[field], b[field], kind)));
  }
  // A field a later registry gains is printed by default (see printedRegistry): listed under its own name.
  const rest = (p: Project) => Object.entries(p).filter(([k]) => !known.has(k) && !PROJECT_NOT_LISTED.has(k));
  const other = new Map<string, [unknown, unknown]>();
  for (const [k, v] of rest(a)) other.set(k, [v, undefined]);
  for (const [k, v] of rest(b)) other.set(k, [other.get(k)?.[0], v]);
  for (const [k, [old, now]] of [...other].sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (!same(old, now)) out.push(prefixed(a.id, changed({ lv: k, en: k }, old, now)));
  }
  return out;
}

/** Targets (per indicator) and budget lines (per category) of one project. */
function listChanges(projectId: string, before: Registry, after: Registry): ChangeNote[] {
  const out: ChangeNote[] = [];
  const targets = (r: Registry) =>
    new Map(r.targets.filter((t) => t.projectId === projectId).map((t) => [t.indicatorCode, t]));
  const [ta, tb] = [targets(before), targets(after)];
  for (const code of sortedKeys(ta, tb)) {
    const a = ta.get(code);
    const b = tb.get(code);
    for (const [field, name, kind] of TARGET_FIELDS) {
      if (!same(a?.[field], b?.[field])) {
        out.push(
          prefixed(
            projectId,
            changed({ lv: `${code} ${name.lv}`, en: `${code} ${name.en}` }, a?.[field], b?.[field], kind),
          ),
        );
      }
    }
  }
  const budget = (r: Registry) =>
    new Map(r.budget.filter((l) => l.projectId === projectId).map((l) => [l.category, l.planned]));
  const [ba, bb] = [budget(before), budget(after)];
  for (const category of sortedKeys(ba, bb)) {
    if (ba.get(category) !== bb.get(category)) {
      const name = { lv: `budžets „${category}”, EUR`, en: `budget "${category}", EUR` };
      out.push(prefixed(projectId, changed(name, ba.get(category), bb.get(category), 'amount')));
    }
  }
  return out;
}

/** Programme-specific indicators (the registry's `Rādītāji` sheet): added, removed, each changed field. */
function indicatorChanges(before: IndicatorDef[], after: IndicatorDef[]): ChangeNote[] {
  const out: ChangeNote[] = [];
  const [a, b] = [new Map(before.map((i) => [i.code, i])), new Map(after.map((i) => [i.code, i]))];
  for (const code of sortedKeys(a, b)) {
    const old = a.get(code);
    const now = b.get(code);
    if (!old && now) {
      out.push({ lv: `Rādītājs ${code} pievienots: ${now.name.lv}`, en: `Indicator ${code} added: ${now.name.en}` });
    } else if (old && !now) {
      out.push({ lv: `Rādītājs ${code} izņemts: ${old.name.lv}`, en: `Indicator ${code} removed: ${old.name.en}` });
    } else if (old && now) {
      const fields = [...new Set([...Object.keys(old), ...Object.keys(now)])].sort() as (keyof IndicatorDef)[];
      for (const field of fields) {
        if (same(old[field], now[field])) continue;
        const name = INDICATOR_FIELDS[field] ?? { lv: field, en: field };
        const what = { lv: `rādītājs ${code}, ${name.lv}`, en: `indicator ${code}, ${name.en}` };
        out.push(changed(what, old[field], now[field]));
      }
    }
  }
  return out;
}

/** The programme's performance framework (`Programmas mērķi`): each changed value, per indicator. */
function programmeTargetChanges(before: ProgrammeTarget[], after: ProgrammeTarget[]): ChangeNote[] {
  const out: ChangeNote[] = [];
  const [a, b] = [new Map(before.map((t) => [t.indicatorCode, t])), new Map(after.map((t) => [t.indicatorCode, t]))];
  for (const code of sortedKeys(a, b)) {
    for (const [field, name] of PROGRAMME_TARGET_FIELDS) {
      const [old, now] = [a.get(code)?.[field], b.get(code)?.[field]];
      if (same(old ?? null, now ?? null)) continue;
      const what = { lv: `programmas mērķi, ${code} ${name.lv}`, en: `programme targets, ${code} ${name.en}` };
      out.push(changed(what, old, now, 'quantity'));
    }
  }
  return out;
}
