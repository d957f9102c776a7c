/**
 * The reporting calendar as cron days. Quarters end on Mar 31, Jun 30, Sep 30 and Dec 31; the submission deadline
 * is `deadlineDays` after the quarter end (inclusive, docs/architecture.md §5), reminders go out `reminderDays` before it and
 * reports are generated the day after it. With the defaults (15, 5): remind on the 10th, deadline on the 15th,
 * generate on the 16th of January, April, July and October.
 *
 * The day of the month is not always the same in every quarter (35 days after Mar 31 is May 5, after Sep 30 it is
 * Nov 4), and an EventBridge cron has one day-of-month field, so each event comes back as one or more groups of
 * months that share a day, each of which becomes one schedule.
 */

/** One cron day: the day of the month and the months (1-12) on which it falls. */
export interface CronDay {
  day: number;
  months: number[];
}

export interface ReportingCalendar {
  /** Last day for on-time submissions (not scheduled; documents the arithmetic). */
  deadline: CronDay[];
  remind: CronDay[];
  generate: CronDay[];
  /**
   * The Art. 42 transmission (CPR Art. 42): the day after the Q4 and Q2 deadlines, when the 31 December and 30 June
   * cut-offs become due (the generate day of January and July).
   */
  transmission: CronDay[];
}

/**
 * The longest deadline whose schedules are the same in every year: 58 days after Dec 31 is Feb 27, so "the day
 * after" is Feb 28 in every year; one more day and it would be Mar 1 in common years but Feb 29 in leap years.
 */
export const MAX_DEADLINE_DAYS = 58;

/** Thrown for settings a fixed cron cannot express. */
export class CalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

const DAY_MS = 86_400_000;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Month (1-12) and day of `offset` days after the last day of quarter `q` (0-3) of `year`, in calendar terms. */
function afterQuarterEnd(year: number, q: number, offset: number): { month: number; day: number } {
  // Day 0 of the month after the quarter is the quarter's last day.
  const end = Date.UTC(year, 3 * (q + 1), 0);
  const d = new Date(end + offset * DAY_MS);
  return { month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function groupByDay(dates: { month: number; day: number }[]): CronDay[] {
  const byDay = new Map<number, number[]>();
  for (const { month, day } of dates) byDay.set(day, [...(byDay.get(day) ?? []), month]);
  return [...byDay.entries()]
    .map(([day, months]) => ({ day, months: [...new Set(months)].sort((a, b) => a - b) }))
    .sort((a, b) => (a.months[0] ?? 0) - (b.months[0] ?? 0) || a.day - b.day);
}

/** The four dates of one event, checked to be the same in a common year and in a leap year. */
function eventDates(offset: number, event: string, quarters = [0, 1, 2, 3]): { month: number; day: number }[] {
  const dates: { month: number; day: number }[] = [];
  for (const q of quarters) {
    // 2025 → Q4 lands in 2026 (common); 2023 → Q4 lands in 2024 (leap).
    const common = afterQuarterEnd(2025, q, offset);
    const leap = afterQuarterEnd(2023, q, offset);
    if (common.month !== leap.month || common.day !== leap.day) {
      throw new CalendarError(
        `the ${event} day after Q${q + 1} would be ${MONTH_NAMES[common.month - 1]} ${common.day} in common years but ` +
          `${MONTH_NAMES[leap.month - 1]} ${leap.day} in leap years; keep the deadline at most ${MAX_DEADLINE_DAYS} days`,
      );
    }
    dates.push(common);
  }
  return dates;
}

/**
 * Cron days for the deadline, the reminder and the generation run.
 * @param deadlineDays days after the quarter end; the deadline day itself is still on time
 * @param reminderDays days before the deadline (0 = on the deadline day)
 */
export function reportingCalendar(deadlineDays: number, reminderDays: number): ReportingCalendar {
  if (!Number.isInteger(deadlineDays) || deadlineDays < 1)
    throw new CalendarError(`deadline days must be ≥ 1, got ${deadlineDays}`);
  if (!Number.isInteger(reminderDays) || reminderDays < 0 || reminderDays >= deadlineDays) {
    throw new CalendarError(`reminder days must be from 0 to ${deadlineDays - 1}, got ${reminderDays}`);
  }
  return {
    deadline: groupByDay(eventDates(deadlineDays, 'deadline')),
    remind: groupByDay(eventDates(deadlineDays - reminderDays, 'reminder')),
    generate: groupByDay(eventDates(deadlineDays + 1, 'generate')),
    // Q2 ends on the 30 June cut-off, Q4 on the 31 December one.
    transmission: groupByDay(eventDates(deadlineDays + 1, 'transmission', [1, 3])),
  };
}

/** EventBridge Scheduler cron for `hour`:00 on a cron day (evaluated in the schedule's time zone). */
export function cronExpression(day: CronDay | 'daily', hour: number): string {
  if (day === 'daily') return `cron(0 ${hour} * * ? *)`;
  return `cron(0 ${hour} ${day.day} ${day.months.join(',')} ? *)`;
}
