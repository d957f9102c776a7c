import type { Clock, LogFields, Logger } from '../core/ports';

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at one instant: runs that must be reproducible (the demo, tests, re-renders). */
export function fixedClock(instant: Date): Clock {
  return { now: () => new Date(instant.getTime()) };
}

/** One JSON object per line, stable keys, no cell values: the shape CloudWatch and `jq` both read. */
export function jsonLogger(write: (line: string) => void, base: LogFields = {}): Logger {
  const emit =
    (level: string) =>
    (event: string, fields: LogFields = {}) => {
      write(JSON.stringify({ level, event, ...base, ...fields }));
    };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
