/**
 * Small layout blocks both reports use: label/value lists, status chips and legend, the elapsed-vs-absorption bars,
 * key-figure boxes. Each draws at the canvas cursor and leaves the cursor below itself.
 */

import { formatPercent } from '../core/format';
import { type IndicatorStatus, STATUS_COLOURS, STATUSES } from '../core/report-types';
import type { ReportCanvas } from './document';
import { statusLabel, statusRule } from './labels';
import { COLOURS, hex, SIZES, textOn } from './theme';

/** One line of a label/value list; `marker` draws a coloured square before the value. */
export interface Fact {
  label: string;
  value: string;
  marker?: string;
  bold?: boolean;
}

/** A two-column label/value list with hairlines between rows; values wrap, labels stay in their column. */
export function drawFacts(
  canvas: ReportCanvas,
  facts: Fact[],
  options: { labelWidth?: number; width?: number; x?: number; valueAlign?: 'left' | 'right'; size?: number } = {},
): void {
  const { doc } = canvas;
  const x = options.x ?? canvas.left;
  const width = options.width ?? canvas.width;
  const labelWidth = options.labelWidth ?? 140;
  const size = options.size ?? SIZES.body;
  const valueX = x + labelWidth;
  const valueWidth = width - labelWidth;
  canvas.group('Table', () => {
    for (const fact of facts) canvas.group('TR', () => drawFact(fact));
  });
  doc.fillColor(COLOURS.text);

  function drawFact(fact: Fact): void {
    const markerSpace = fact.marker ? 10 : 0;
    canvas.font(fact.bold ?? false, size);
    const valueHeight = canvas.measure(fact.value, valueWidth - markerSpace, 1);
    canvas.font(false, size - 0.5);
    const labelHeight = canvas.measure(fact.label, labelWidth - 8, 1);
    const height = Math.max(valueHeight, labelHeight) + 6;
    canvas.ensureSpace(height);
    const y = canvas.y;
    canvas.tag(
      'TH',
      () => {
        doc.fillColor(COLOURS.muted);
        canvas.text(fact.label, x, y + 3, { width: labelWidth - 8, lineGap: 1 });
      },
      {
        scope: 'Row',
      },
    );
    if (fact.marker) {
      doc
        .rect(valueX, y + 3 + size * 0.2, 6.5, 6.5)
        .fillColor(hex(fact.marker))
        .fill();
    }
    canvas.font(fact.bold ?? false, size);
    canvas.tag('TD', () => {
      doc.fillColor(COLOURS.text);
      canvas.text(fact.value, valueX + markerSpace, y + 3, {
        width: valueWidth - markerSpace,
        lineGap: 1,
        align: options.valueAlign ?? 'left',
      });
    });
    canvas.y = y + height;
    doc
      .moveTo(x, canvas.y)
      .lineTo(x + width, canvas.y)
      .lineWidth(0.4)
      .strokeColor(COLOURS.lightRule)
      .stroke();
  }
}

/** Coloured count chips, one per status, in a row: `[3] Sasniegts  [1] Risks …`. */
export function drawStatusChips(canvas: ReportCanvas, counts: Record<IndicatorStatus, number>): void {
  const { doc, lang } = canvas;
  const height = 16;
  canvas.ensureSpace(height + 4);
  let y = canvas.y;
  let x = canvas.left;
  for (const status of STATUSES) {
    const count = String(counts[status] ?? 0);
    const fill = hex(STATUS_COLOURS[status]);
    canvas.font(true, SIZES.small);
    const boxWidth = Math.max(18, doc.widthOfString(count) + 10);
    canvas.font(false, SIZES.small);
    const labelWidth = doc.widthOfString(statusLabel(lang, status));
    // Wrap to a second row rather than run past the margin (long labels in some language).
    if (x > canvas.left && x + boxWidth + 4 + labelWidth > canvas.right) {
      x = canvas.left;
      y += height + 6;
      canvas.y = y;
      if (canvas.ensureSpace(height + 4)) y = canvas.y;
    }
    canvas.font(true, SIZES.small);
    doc.roundedRect(x, y, boxWidth, height, 3).fillColor(fill).fill();
    const chipX = x;
    const chipY = y;
    // One chip reads as one phrase: "3 Sasniegts".
    canvas.tag('P', () => {
      doc.fillColor(textOn(fill));
      canvas.text(count, chipX, chipY + 4.2, { width: boxWidth, align: 'center', lineBreak: false });
      canvas.font(false, SIZES.small);
      doc.fillColor(COLOURS.text);
      canvas.text(statusLabel(lang, status), chipX + boxWidth + 4, chipY + 4.2, { lineBreak: false });
    });
    x += boxWidth + 4 + labelWidth + 16;
  }
  canvas.y = y + height + 6;
  doc.fillColor(COLOURS.text);
}

/** What each status means, one line per status with its colour. */
export function drawStatusLegend(canvas: ReportCanvas, title: string, note: string): void {
  const { doc, lang } = canvas;
  canvas.font(true, SIZES.small);
  canvas.ensureSpace(STATUSES.length * 11 + 26);
  canvas.tag('P', () => {
    doc.fillColor(COLOURS.heading);
    canvas.text(title, canvas.left, canvas.y, { width: canvas.width });
  });
  canvas.y += 2;
  for (const status of STATUSES) {
    const y = canvas.y;
    doc
      .rect(canvas.left, y + 1.8, 6, 6)
      .fillColor(hex(STATUS_COLOURS[status]))
      .fill();
    canvas.tag('P', () => {
      canvas.font(true, SIZES.small);
      doc.fillColor(COLOURS.text);
      canvas.text(statusLabel(lang, status), canvas.left + 10, y, { lineBreak: false });
      canvas.font(false, SIZES.small);
      doc.fillColor(COLOURS.muted);
      canvas.text(`— ${statusRule(lang, status)}`, canvas.left + 90, y, { lineBreak: false });
    });
    canvas.y = y + 11;
  }
  canvas.font(false, SIZES.small);
  canvas.tag('P', () => {
    doc.fillColor(COLOURS.muted);
    canvas.text(note, canvas.left, canvas.y + 2, { width: canvas.width });
  });
  canvas.y += 4;
  doc.fillColor(COLOURS.text);
}

/** One horizontal bar in a comparison: label, a 0–100 % track with the share filled, the percentage. */
export interface Bar {
  label: string;
  ratio: number;
  colour: string;
}

/** Horizontal bars on a common 0–100 % scale (time elapsed vs. absorption), values beyond 100 % clipped. */
export function drawBars(
  canvas: ReportCanvas,
  bars: Bar[],
  options: { labelWidth?: number; width?: number } = {},
): void {
  const { doc, lang } = canvas;
  const labelWidth = options.labelWidth ?? 130;
  const width = options.width ?? canvas.width;
  const valueWidth = 50;
  const trackWidth = width - labelWidth - valueWidth;
  const rowHeight = 16;
  canvas.ensureSpace(bars.length * rowHeight + 10);
  for (const bar of bars) {
    const y = canvas.y;
    const trackX = canvas.left + labelWidth;
    canvas.font(false, SIZES.body);
    canvas.tag('P', () => {
      doc.fillColor(COLOURS.text);
      canvas.text(bar.label, canvas.left, y + 1.5, { width: labelWidth - 8, lineBreak: false });
      canvas.font(true, SIZES.body);
      doc.fillColor(COLOURS.text);
      canvas.text(formatPercent(bar.ratio, lang), trackX + trackWidth, y + 1.5, {
        width: valueWidth,
        align: 'right',
        lineBreak: false,
      });
    });
    doc
      .rect(trackX, y + 1, trackWidth, 10)
      .fillColor(COLOURS.track)
      .fill();
    const ratio = Number.isFinite(bar.ratio) ? Math.min(Math.max(bar.ratio, 0), 1) : 0;
    if (ratio > 0)
      doc
        .rect(trackX, y + 1, trackWidth * ratio, 10)
        .fillColor(bar.colour)
        .fill();
    canvas.y = y + rowHeight;
  }
  // Quarter marks under the tracks so a reader can estimate without reading the numbers.
  const trackX = canvas.left + labelWidth;
  const scaleY = canvas.y;
  canvas.font(false, 6.5);
  for (const q of [0, 0.25, 0.5, 0.75, 1]) {
    const x = trackX + trackWidth * q;
    doc
      .moveTo(x, scaleY - 3)
      .lineTo(x, scaleY)
      .lineWidth(0.5)
      .strokeColor(COLOURS.rule)
      .stroke();
    const text = formatPercent(q, lang, 0);
    const w = doc.widthOfString(text);
    doc.fillColor(COLOURS.muted);
    canvas.text(text, x - w / 2, scaleY + 1, { lineBreak: false });
  }
  canvas.y = scaleY + 12;
  doc.fillColor(COLOURS.text);
}

/** One key figure: a small caption over a large value. */
export interface Kpi {
  caption: string;
  value: string;
  note?: string;
}

/** Key figures side by side in boxes of equal width. */
export function drawKpis(canvas: ReportCanvas, kpis: Kpi[], gap = 8): void {
  const { doc } = canvas;
  const boxWidth = (canvas.width - gap * (kpis.length - 1)) / kpis.length;
  const inner = boxWidth - 16;
  let height = 0;
  for (const kpi of kpis) {
    canvas.font(false, SIZES.small);
    let h = canvas.measure(kpi.caption, inner) + 4;
    canvas.font(true, 12);
    h += canvas.measure(kpi.value, inner);
    if (kpi.note) {
      canvas.font(false, SIZES.small - 0.5);
      h += 3 + canvas.measure(kpi.note, inner);
    }
    height = Math.max(height, h + 16);
  }
  canvas.ensureSpace(height + 4);
  const y = canvas.y;
  kpis.forEach((kpi, i) => {
    const x = canvas.left + i * (boxWidth + gap);
    doc.rect(x, y, boxWidth, height).fillColor(COLOURS.zebra).fill();
    doc.rect(x, y, 2.5, height).fillColor(COLOURS.heading).fill();
    canvas.tag('P', () => {
      canvas.font(false, SIZES.small);
      doc.fillColor(COLOURS.muted);
      canvas.text(kpi.caption, x + 10, y + 8, { width: inner });
      canvas.font(true, 12);
      doc.fillColor(COLOURS.heading);
      canvas.text(kpi.value, x + 10, doc.y + 4, { width: inner });
      if (kpi.note) {
        canvas.font(false, SIZES.small - 0.5);
        doc.fillColor(COLOURS.muted);
        canvas.text(kpi.note, x + 10, doc.y + 3, { width: inner });
      }
    });
  });
  canvas.y = y + height + 6;
  doc.fillColor(COLOURS.text);
}
