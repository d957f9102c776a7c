/** The ingest methods the benchmark compares, shared by the ingest section and its child script. */
import type { Registry, SourceRef } from '../../functions/core/types';

export const INGEST_METHODS = [
  'floor',
  'floor-native',
  'ours',
  'sheetjs',
  'sheetjs-dense',
  'exceljs-load',
  'exceljs-stream',
] as const;
export type IngestMethod = (typeof INGEST_METHODS)[number];

export interface IngestContext {
  registry: Registry;
  source: SourceRef;
  folder: string;
  today: string;
}

export interface IngestChildResult {
  method: IngestMethod;
  ms: number;
  /** CPU time (user + system, all threads): less disturbed than wall time by other work on the machine. */
  cpuMs: number;
  /** For `ours`: guard + parse, and validate, separately. */
  readMs?: number;
  validateMs?: number;
  /** Elements (floor), participants (ours) or rows (libraries) seen. */
  count: number;
  peakRssMb: number;
}
