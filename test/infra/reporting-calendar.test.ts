import { describe, expect, it } from 'vitest';
import { CalendarError, cronExpression, MAX_DEADLINE_DAYS, reportingCalendar } from '../../infra/reporting-calendar';

describe('reportingCalendar', () => {
  it('puts the defaults (15, 5) on the 10th, 15th and 16th of Jan, Apr, Jul and Oct', () => {
    const calendar = reportingCalendar(15, 5);
    const quarterly = [1, 4, 7, 10];
    expect(calendar.remind).toEqual([{ day: 10, months: quarterly }]);
    expect(calendar.deadline).toEqual([{ day: 15, months: quarterly }]);
    expect(calendar.generate).toEqual([{ day: 16, months: quarterly }]);
    // The 31 December and 30 June cut-offs: the day after the Q4 and Q2 deadlines.
    expect(calendar.transmission).toEqual([{ day: 16, months: [1, 7] }]);
  });

  it('follows a deadline into the next month, where month lengths make the days differ', () => {
    // Mar 31 + 35 = May 5 (April has 30 days); Jun 30 + 35 = Aug 4; Sep 30 + 35 = Nov 4; Dec 31 + 35 = Feb 4.
    const calendar = reportingCalendar(35, 5);
    expect(calendar.deadline).toEqual([
      { day: 4, months: [2, 8, 11] },
      { day: 5, months: [5] },
    ]);
    expect(calendar.generate).toEqual([
      { day: 5, months: [2, 8, 11] },
      { day: 6, months: [5] },
    ]);
    // Only Q2 and Q4: Dec 31 + 36 = Feb 5, Jun 30 + 36 = Aug 5.
    expect(calendar.transmission).toEqual([{ day: 5, months: [2, 8] }]);
    // Remind 30 days after the quarter end: Apr 30, Jul 30, Oct 30, Jan 30.
    expect(calendar.remind).toEqual([{ day: 30, months: [1, 4, 7, 10] }]);
  });

  it('crosses the month end between remind and deadline', () => {
    // Deadline 32 days after: May 2, Aug 1, Nov 1, Feb 1; reminder 5 days earlier is still in the month before.
    const calendar = reportingCalendar(32, 5);
    expect(calendar.deadline).toEqual([
      { day: 1, months: [2, 8, 11] },
      { day: 2, months: [5] },
    ]);
    expect(calendar.remind).toEqual([{ day: 27, months: [1, 4, 7, 10] }]);
  });

  it('accepts the longest deadline a fixed cron can follow and refuses one more day', () => {
    // 59 days after Dec 31 is Feb 28 in every year.
    expect(reportingCalendar(MAX_DEADLINE_DAYS, 5).generate).toEqual([
      { day: 28, months: [2, 8, 11] },
      { day: 29, months: [5] },
    ]);
    expect(() => reportingCalendar(MAX_DEADLINE_DAYS + 1, 5)).toThrow(CalendarError);
    expect(() => reportingCalendar(MAX_DEADLINE_DAYS + 1, 5)).toThrow(/Mar 1 in common years but Feb 29 in leap years/);
  });

  it('refuses reminders that would come before the quarter has ended', () => {
    expect(() => reportingCalendar(15, 15)).toThrow(CalendarError);
    expect(() => reportingCalendar(15, -1)).toThrow(CalendarError);
    expect(reportingCalendar(15, 0).remind).toEqual([{ day: 15, months: [1, 4, 7, 10] }]);
  });
});

describe('cronExpression', () => {
  it('writes an EventBridge Scheduler cron for a cron day and for every day', () => {
    expect(cronExpression({ day: 16, months: [1, 4, 7, 10] }, 6)).toBe('cron(0 6 16 1,4,7,10 ? *)');
    expect(cronExpression('daily', 7)).toBe('cron(0 7 * * ? *)');
  });
});
