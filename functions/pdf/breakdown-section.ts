/**
 * The gender × age-bracket tables of person indicators (Reg. 2021/1147 Annex VIII), one per indicator:
 * genders down, age brackets across, totals both ways. Cells add up to the indicator's cumulative value.
 */
import { AGE_LABELS, BREAKDOWN_TEXT, type Breakdown, GENDER_LABELS } from '../core/breakdown';
import { formatNumber } from '../core/format';
import { AGE_BRACKETS, type AgeBracket, type Bilingual, GENDERS, type Gender } from '../core/types';
import type { ReportCanvas } from './document';
import { pick } from './labels';
import { drawTable, type TableOptions, tableKeepHeight } from './table';
import { COLOURS } from './theme';

export interface BreakdownItem {
  code: string;
  name: Bilingual;
  breakdown?: Breakdown;
}

const rowTotal = (b: Breakdown, g: Gender) => AGE_BRACKETS.reduce((n, a) => n + b.counts[g][a], 0);
const columnTotal = (b: Breakdown, a: AgeBracket) => GENDERS.reduce((n, g) => n + b.counts[g][a], 0);

/** Draw the section; indicators without a breakdown (not counted in persons) are left out. */
export function drawBreakdowns(canvas: ReportCanvas, items: readonly BreakdownItem[]): void {
  const { lang } = canvas;
  const withBreakdown = items.filter((i) => i.breakdown !== undefined);
  if (withBreakdown.length === 0) return;
  canvas.sectionTitle(pick(BREAKDOWN_TEXT.title, lang), 120);
  canvas.paragraph(pick(BREAKDOWN_TEXT.intro, lang), { color: COLOURS.muted });
  for (const item of withBreakdown) {
    const b = item.breakdown!;
    const count = (n: number) => formatNumber(n, lang);
    const table: TableOptions<Gender> = {
      keepTogether: true,
      rows: GENDERS,
      columns: [
        { header: pick(BREAKDOWN_TEXT.gender, lang), width: 2, cell: (g) => pick(GENDER_LABELS[g], lang) },
        ...AGE_BRACKETS.map((a) => ({
          header: pick(AGE_LABELS[a], lang),
          align: 'right' as const,
          cell: (g: Gender) => count(b.counts[g][a]),
        })),
        {
          header: pick(BREAKDOWN_TEXT.total, lang),
          align: 'right',
          cell: (g) => ({ text: count(rowTotal(b, g)), bold: true }),
        },
      ],
      footer: [
        [
          pick(BREAKDOWN_TEXT.total, lang),
          ...AGE_BRACKETS.map((a) => count(columnTotal(b, a))),
          { text: count(b.total), bold: true },
        ],
      ],
    };
    canvas.subTitle(`${item.code} ${pick(item.name, lang)}`, tableKeepHeight(canvas, table));
    drawTable(canvas, table);
  }
}
