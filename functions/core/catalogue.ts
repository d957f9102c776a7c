/**
 * The indicator catalogue: AMIF 2021-2027 (Reg. 2021/1147 Annex VIII) and 2014-2020 (Reg. 516/2014 Annex IV)
 * common indicators (data in `templates/catalogue/`), plus the programme-specific indicators of the registry in
 * force. A registry row whose code is a common indicator gives that indicator's official Latvian name.
 */
import amif2014 from '../../templates/catalogue/amif-2014-2020.json' with { type: 'json' };
import amif2021 from '../../templates/catalogue/amif-2021-2027.json' with { type: 'json' };
import type { IndicatorDef, Lang } from './types';

export interface Catalogue {
  all: IndicatorDef[];
  get(code: string): IndicatorDef | undefined;
}

/** The common indicators of both fund periods, as shipped. */
export function standardIndicators(): IndicatorDef[] {
  return [...(amif2021.indicators as IndicatorDef[]), ...(amif2014.indicators as IndicatorDef[])];
}

/** The edition of the shipped catalogues a record was validated against (both fund periods). */
export const CATALOGUE_VERSION = `${amif2021.catalogue}@${amif2021.version}+${amif2014.catalogue}@${amif2014.version}`;

/** Normalise an indicator code as typed: `o.2.3.1 `, `O 2.3.1` and `O.2.3.1` are one code. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase().replace(/\s+/g, '.').replace(/\.+/g, '.');
}

/**
 * The standard catalogue with the registry's programme-specific indicators added. A registry row for a common
 * code only names it officially in Latvian: the Annex's English wording, type, unit and rule stay.
 */
export function buildCatalogue(programmeIndicators: readonly IndicatorDef[] = []): Catalogue {
  const byCode = new Map<string, IndicatorDef>();
  for (const def of standardIndicators()) byCode.set(normaliseCode(def.code), def);
  for (const def of programmeIndicators) {
    const key = normaliseCode(def.code);
    const common = byCode.get(key);
    if (common && common.catalogue !== 'programme') {
      byCode.set(key, { ...common, name: { ...common.name, lv: def.name.lv }, nameLvSource: 'official' });
    } else byCode.set(key, def);
  }
  const all = [...byCode.values()];
  return { all, get: (code) => byCode.get(normaliseCode(code)) };
}

/**
 * Annex VIII: "All indicators relating to persons shall be reported by age brackets (< 18, 18-60, > 60) and by
 * gender." A person indicator is one counted in persons, participants or returnees (not places, items, families).
 */
export function isPersonIndicator(def: IndicatorDef): boolean {
  return /^(persons?|participants?|returnees?|personas|dalībnieki|atgrieztās personas)$/i.test(def.unit.en.trim());
}

/** The name as displayed: the legal text's lower-case "the number of …" starts with a capital letter. */
export function displayName(def: IndicatorDef, lang: Lang): string {
  const name = def.name[lang];
  return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
}
