/** What every section gets, and what it hands back for the table and the JSON. */
import type { ChildName } from './build';
import type { SampleSet } from './sample';

/** The period every section works on: the sample's four active projects all uploaded for it. */
export const BENCH_PERIOD = '2025-Q3';
export const BENCH_GENERATED_AT = '2025-10-16T04:00:00.000Z';

export interface BenchContext {
  /** Repository root. */
  root: string;
  /** Scratch folder of this run. */
  work: string;
  children: Record<ChildName, string>;
  sample: SampleSet;
  /** Repetitions for medians. */
  rounds: number;
  /** `--full`: also the long measurements. */
  full: boolean;
  /** `--sizes=…`: other programme sizes for section 3 (for trying the bench out). */
  scaleSizes?: number[];
  log: (message: string) => void;
}

/** One line of the printed table. */
export interface Figure {
  section: string;
  name: string;
  value: string;
  /** The goal, as text; absent for context figures. */
  goal?: string;
  /** Whether the goal is met; absent when there is no goal or it was not measured. */
  met?: boolean;
}

export interface SectionResult {
  figures: Figure[];
  /** Markdown printed after the table (the cost arithmetic). */
  notes?: string[];
  /** Raw measurements for the JSON. */
  data: Record<string, unknown>;
}
