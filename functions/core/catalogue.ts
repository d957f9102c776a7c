/**
 * The indicator catalogue: AMIF 2021-2027 and 2014-2020 common indicators (data in `templates/catalogue/`),
 * plus the programme-specific indicators of the registry in force.
 */
import amif2014 from '../../templates/catalogue/amif-2014-2020.json' with { type: 'json' };
import amif2021 from '../../templates/catalogue/amif-2021-2027.json' with { type: 'json' };
import type { IndicatorDef } from './types';

export interface Catalogue {
  all: IndicatorDef[];
  get(code: string): IndicatorDef | undefined;
}

/** The common indicators of both fund periods, as shipped. */
export function standardIndicators(): IndicatorDef[] {
  return [...(amif2021.indicators as IndicatorDef[]), ...(amif2014.indicators as IndicatorDef[])];
}

/** Normalise an indicator code as typed: `o.2.3.1 `, `O 2.3.1` and `O.2.3.1` are one code. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase().replace(/\s+/g, '.').replace(/\.+/g, '.');
}

/** The standard catalogue with the registry's programme-specific indicators added (registry wins on a clash). */
export function buildCatalogue(programmeIndicators: readonly IndicatorDef[] = []): Catalogue {
  const byCode = new Map<string, IndicatorDef>();
  for (const def of standardIndicators()) byCode.set(normaliseCode(def.code), def);
  for (const def of programmeIndicators) byCode.set(normaliseCode(def.code), def);
  const all = [...byCode.values()];
  return { all, get: (code) => byCode.get(normaliseCode(code)) };
}
