/**
 * exceljs's style table (its `StylesXform`), filled once per process for each sequence of styles a workbook adds.
 * A cell format's number (`s` attribute) and the styles part depend only on the styles added so far, in order;
 * reports of one kind add the same few dozen styles in the same order, and exceljs renders every style's font,
 * fill, border and format to XML to number it (a tenth of a small report's workbook). So each sequence is kept as a
 * path of a tree: a workbook that walks a known path reads the numbers and the styles part from it, and only a
 * workbook that leaves the known paths fills an exceljs table, replaying its path first. The numbers and the part
 * are exceljs's own either way.
 */
import StylesXform from 'exceljs/lib/xlsx/xform/style/styles-xform.js';

/** A style or conditional-format style added, with what it was given (for a replay). */
type StyleCall = { style: object; valueType: number } | { dxf: object };

interface StyleState {
  /** The number the call that led here returned. */
  readonly id: number;
  readonly call: StyleCall | null;
  readonly parent: StyleState | null;
  readonly next: Map<string, StyleState>;
  /** The styles part of a workbook that added these styles and no more, once rendered. */
  xml?: string;
}

const newRoot = (): StyleState => ({ id: 0, call: null, parent: null, next: new Map() });
let root = newRoot();
let states = 0;
/** Bounded for long-lived workers: reports of every kind, both editions, need a few hundred states. */
const MAX_STATES = 20_000;

/** One workbook's style table. */
export class StyleTable {
  private state = root;
  private live: StylesXform | null = null;

  /**
   * The cell format of a style (exceljs's `addStyleModel`); `valueType` is exceljs's `ValueType` of the value, `key`
   * the style's {@link styleKey} when the caller has it.
   */
  styleId(style: object, valueType: number, key = styleKey(style)): number {
    return this.step(`s${valueType}|${key}`, { style, valueType });
  }

  /** The number of a conditional format's style (exceljs's `addDxfStyle`). */
  dxfId(style: object): number {
    return this.step(`d|${JSON.stringify(style)}`, { dxf: style });
  }

  /** The styles part, as exceljs renders it. */
  get xml(): string {
    this.state.xml ??= this.table().xml;
    return this.state.xml;
  }

  private step(key: string, call: StyleCall): number {
    // Once off the known paths, the workbook's own exceljs table numbers every style (the same numbers).
    const known = this.live ? undefined : this.state.next.get(key);
    if (known) {
      this.state = known;
      return known.id;
    }
    const table = this.table();
    const id = 'dxf' in call ? table.addDxfStyle(call.dxf) : table.addStyleModel(call.style, call.valueType);
    let next = this.state.next.get(key);
    if (next === undefined) {
      if (states >= MAX_STATES) {
        root = newRoot();
        states = 0;
      }
      next = { id, call, parent: this.state, next: new Map() };
      this.state.next.set(key, next);
      states++;
    }
    this.state = next;
    return id;
  }

  /** exceljs's table in this workbook's state: made on the first call off the known paths, by replaying the path. */
  private table(): StylesXform {
    if (this.live) return this.live;
    const table = new StylesXform(true);
    const path: StyleCall[] = [];
    for (let s: StyleState | null = this.state; s?.call; s = s.parent) path.unshift(s.call);
    for (const call of path) {
      if ('dxf' in call) table.addDxfStyle(call.dxf);
      else table.addStyleModel(call.style, call.valueType);
    }
    this.live = table;
    return table;
  }
}

/**
 * A style's content as a key: each part's JSON, a frozen part's remembered (a header row's font, fill, alignment and
 * border are the same frozen objects in every report, and turning them into JSON for every header cell was most of
 * a small report's style look-ups). Part names and JSON values delimit themselves, so unequal styles never share a
 * key; equal styles with their keys in another order may get two keys, and the same numbers from exceljs's table.
 */
export function styleKey(style: object): string {
  let key = '';
  for (const [name, part] of Object.entries(style)) key += `${name}=${partJson(part)};`;
  return key;
}

const frozenJson = new WeakMap<object, string>();

function partJson(part: unknown): string {
  if (typeof part !== 'object' || part === null || !Object.isFrozen(part)) return String(JSON.stringify(part));
  let json = frozenJson.get(part);
  if (json === undefined) {
    json = String(JSON.stringify(part));
    // Only what can never change is remembered: a frozen object of frozen objects.
    if (deeplyFrozen(part)) frozenJson.set(part, json);
  }
  return json;
}

/** Frozen, and so is every object it holds: it can never change. */
export function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deeplyFrozen);
}
