/**
 * What a new registry changed in what a period's reports print (issue 14: a revision's change list names added and
 * removed projects and every changed field, old → new), as bilingual lines for the programme summary and the
 * managers' e-mail. Contacts are not listed: they are not printed (see `revision-policy.ts`).
 */
import { activeProjects } from './report-model';
import type { Bilingual, Project, Registry } from './types';

const PROJECT_FIELDS: [keyof Project, Bilingual][] = [
  ['contractNo', { lv: 'līguma Nr.', en: 'contract no.' }],
  ['title', { lv: 'nosaukums', en: 'title' }],
  ['beneficiary', { lv: 'finansējuma saņēmējs', en: 'beneficiary' }],
  ['fund', { lv: 'fonds', en: 'fund' }],
  ['specificObjective', { lv: 'specifiskais mērķis', en: 'specific objective' }],
  ['start', { lv: 'sākums', en: 'start' }],
  ['end', { lv: 'beigas', en: 'end' }],
  ['eligibleCost', { lv: 'attiecināmās izmaksas', en: 'eligible cost' }],
  ['euRatePercent', { lv: 'ES līdzfinansējums, %', en: 'EU co-financing, %' }],
];

const show = (value: unknown): string => (value === null || value === undefined ? '—' : String(value));

function changed(what: Bilingual, old: unknown, now: unknown): Bilingual {
  return { lv: `${what.lv}: ${show(old)} → ${show(now)}`, en: `${what.en}: ${show(old)} → ${show(now)}` };
}

/** Every printed registry difference between two versions for `period`, in a stable order. */
export function describeRegistryChanges(before: Registry, after: Registry, period: string): Bilingual[] {
  const out: Bilingual[] = [];
  const was = new Map(activeProjects(before, period).map((p) => [p.id, p]));
  const now = new Map(activeProjects(after, period).map((p) => [p.id, p]));
  for (const id of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const a = was.get(id);
    const b = now.get(id);
    if (!a) out.push({ lv: `Projekts ${id} pievienots`, en: `Project ${id} added` });
    else if (!b) out.push({ lv: `Projekts ${id} izņemts`, en: `Project ${id} removed` });
    else {
      for (const [field, name] of PROJECT_FIELDS) {
        if (a[field] !== b[field]) out.push(prefixed(id, changed(name, a[field], b[field])));
      }
    }
    if (a && b) out.push(...listChanges(id, before, after));
  }
  if (JSON.stringify(before.settings) !== JSON.stringify(after.settings)) {
    out.push(
      changed(
        { lv: 'iesniegšanas termiņš, dienas', en: 'submission deadline, days' },
        before.settings.deadlineDays,
        after.settings.deadlineDays,
      ),
    );
  }
  if (JSON.stringify(before.indicators) !== JSON.stringify(after.indicators)) {
    out.push({ lv: 'Mainīti programmas rādītāji (Rādītāji)', en: 'Programme indicators changed (Indicators sheet)' });
  }
  return out;
}

function prefixed(projectId: string, line: Bilingual): Bilingual {
  return { lv: `${projectId}, ${line.lv}`, en: `${projectId}, ${line.en}` };
}

/** Targets (per indicator) and budget lines (per category) of one project. */
function listChanges(projectId: string, before: Registry, after: Registry): Bilingual[] {
  const out: Bilingual[] = [];
  const targets = (r: Registry) =>
    new Map(r.targets.filter((t) => t.projectId === projectId).map((t) => [t.indicatorCode, t]));
  const [ta, tb] = [targets(before), targets(after)];
  for (const code of [...new Set([...ta.keys(), ...tb.keys()])].sort()) {
    const a = ta.get(code);
    const b = tb.get(code);
    for (const field of ['baseline', 'milestone', 'milestoneDate', 'target'] as const) {
      if (a?.[field] !== b?.[field]) {
        out.push(
          prefixed(projectId, changed({ lv: `${code} ${field}`, en: `${code} ${field}` }, a?.[field], b?.[field])),
        );
      }
    }
  }
  const budget = (r: Registry) =>
    new Map(r.budget.filter((l) => l.projectId === projectId).map((l) => [l.category, l.planned]));
  const [ba, bb] = [budget(before), budget(after)];
  for (const category of [...new Set([...ba.keys(), ...bb.keys()])].sort()) {
    if (ba.get(category) !== bb.get(category)) {
      out.push(
        prefixed(
          projectId,
          changed({ lv: `budžets „${category}”`, en: `budget "${category}"` }, ba.get(category), bb.get(category)),
        ),
      );
    }
  }
  return out;
}
