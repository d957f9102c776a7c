/**
 * A PDF's page content read back independently of the code that wrote it: qpdf decodes each page's content
 * streams (its JSON output, in page order), and a small interpreter follows the colour operators through q/Q to
 * say which fill and stroke colour are in force at each painting operator.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface QpdfJson {
  pages: { contents: string[] }[];
  qpdf: [unknown, Record<string, { stream?: { data?: string } }>];
}

/** Each page's content, its streams decoded and joined, as latin1 text. */
export function pageContents(pdf: Uint8Array): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pmif-content-'));
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    const json = execFileSync(
      'qpdf',
      [
        '--json=2',
        '--json-key=pages',
        '--json-key=qpdf',
        '--json-stream-data=inline',
        '--decode-level=generalized',
        file,
        '-',
      ],
      { maxBuffer: 1 << 28 },
    ).toString('utf8');
    const parsed = JSON.parse(json) as QpdfJson;
    const objects = parsed.qpdf[1];
    return parsed.pages.map((page) =>
      page.contents
        .map((ref) => Buffer.from(objects[`obj:${ref}`]?.stream?.data ?? '', 'base64').toString('latin1'))
        .join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A colour as a reader takes it: `#rrggbb` for DeviceRGB and DeviceGray (each component rounded to 8 bits). */
export type ColourName = string;

export interface PaintState {
  /** The painting operator (f, S, TJ, …). */
  op: string;
  fill: ColourName;
  stroke: ColourName;
}

export interface ColourReading {
  paints: PaintState[];
  /** Every operator that sets a colour, as written. */
  colourOperators: string[];
  /** The largest distance, in 1/255 steps, of an RGB or grey component from the 8-bit level it rounds to. */
  worstOffLevel: number;
}

const PAINTS = new Set(['f', 'F', 'f*', 'S', 's', 'B', 'B*', 'b', 'b*', 'TJ', 'Tj', "'", '"', 'sh', 'Do']);
const INITIAL: Record<string, string> = { DeviceGray: '0', DeviceRGB: '0 0 0', DeviceCMYK: '0 0 0 1' };

interface Side {
  space: string;
  components: string;
}

/** Page content's colours at each painting operator, one operator a line (as pdfkit and the reports write them). */
export function readColours(content: string): ColourReading {
  const reading: ColourReading = { paints: [], colourOperators: [], worstOffLevel: 0 };
  let fill: Side = { space: 'DeviceGray', components: '0' };
  let stroke: Side = { space: 'DeviceGray', components: '0' };
  const saved: [Side, Side][] = [];
  const name = (side: Side): ColourName => {
    const parts = side.components.split(' ').map(Number);
    if (side.space === 'DeviceRGB' || side.space === 'DeviceGray') {
      const levels = parts.map((part) =>
        Math.round(part * 255)
          .toString(16)
          .padStart(2, '0'),
      );
      return `#${side.space === 'DeviceGray' ? levels[0]!.repeat(3) : levels.join('')}`;
    }
    return `${side.space}:${side.components}`;
  };
  for (const line of content.split('\n')) {
    const at = line.lastIndexOf(' ');
    const op = at < 0 ? line : line.slice(at + 1);
    const operands = at < 0 ? '' : line.slice(0, at);
    const set = (isStroke: boolean, side: Side): void => {
      reading.colourOperators.push(line);
      if (side.space === 'DeviceRGB' || side.space === 'DeviceGray') {
        for (const part of side.components.split(' ').map(Number)) {
          reading.worstOffLevel = Math.max(reading.worstOffLevel, Math.abs(part * 255 - Math.round(part * 255)));
        }
      }
      if (isStroke) stroke = side;
      else fill = side;
    };
    if (op === 'q') saved.push([fill, stroke]);
    else if (op === 'Q') [fill, stroke] = saved.pop() ?? [fill, stroke];
    else if (op === 'cs' || op === 'CS') {
      const space = operands.slice(1);
      set(op === 'CS', { space, components: INITIAL[space] ?? '' });
    } else if (op === 'sc' || op === 'scn' || op === 'SC' || op === 'SCN') {
      const current = op.startsWith('S') ? stroke : fill;
      set(op.startsWith('S'), { space: current.space, components: operands });
    } else if (op === 'rg' || op === 'RG') set(op === 'RG', { space: 'DeviceRGB', components: operands });
    else if (op === 'g' || op === 'G') set(op === 'G', { space: 'DeviceGray', components: operands });
    else if (op === 'k' || op === 'K') set(op === 'K', { space: 'DeviceCMYK', components: operands });
    else if (PAINTS.has(op)) reading.paints.push({ op, fill: name(fill), stroke: name(stroke) });
  }
  return reading;
}
