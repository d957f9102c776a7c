// Preloaded with `node --import` into a process the bench times from outside: on exit it writes the process's
// peak resident set size (MB) to the file named by BENCH_RSS_FILE. Linux: VmHWM, the peak of this program's own
// memory (getrusage's maxRSS survives exec and would report the spawning bench process's size); elsewhere maxRSS.
import { readFileSync, writeFileSync } from 'node:fs';

function peakMb() {
  try {
    const hwm = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS / 1024;
}

const out = process.env.BENCH_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(peakMb())));
