import { describe, expect, it } from 'vitest';
import { CronSyntaxError, nextCronTime, parseCron } from '../../emulator/cron.js';

/** The next `count` firing instants (ISO) after `from`. */
function firings(fields: string, from: string, count: number, timeZone = 'UTC'): string[] {
  const cron = parseCron(fields);
  const out: string[] = [];
  let after = new Date(from);
  for (let i = 0; i < count; i++) {
    const next = nextCronTime(cron, after, timeZone);
    if (!next) break;
    out.push(next.toISOString());
    after = next;
  }
  return out;
}

describe('parseCron', () => {
  it.each([
    ['0 1 * * * *', 'both day fields set'],
    ['0 1 ? * ? *', 'both day fields ?'],
    ['71 8 1 * ? *', 'minute out of range'],
    ['0 dummy ? * MON-FRI *', 'hour not a number'],
    ['7 20 * * NOT *', 'unknown weekday'],
    ['0 0 1 13 ? *', 'month 13'],
    ['0 0 1 * ? 2200', 'year after 2199'],
    ['0 0 ? * 2#6 *', 'sixth Monday'],
    ['*/0 * * * ? *', 'zero step'],
    ['0 0 1 * ?', 'five fields'],
    ['', 'no fields'],
  ])('rejects %s (%s)', (fields) => {
    expect(() => parseCron(fields)).toThrow(CronSyntaxError);
  });

  it('names the field and the reason', () => {
    expect(() => parseCron('71 8 1 * ? *')).toThrow('minutes: "71" is not a value from 0 to 59');
  });
});

describe('nextCronTime', () => {
  it('steps, ranges, lists and names', () => {
    expect(firings('0/15 8-9 ? * MON-FRI *', '2026-12-04T09:40:00Z', 4)).toEqual([
      '2026-12-04T09:45:00.000Z', // Friday
      '2026-12-07T08:00:00.000Z', // Monday
      '2026-12-07T08:15:00.000Z',
      '2026-12-07T08:30:00.000Z',
    ]);
    expect(firings('0 12 1,15 JAN,JUL ? *', '2026-01-10T00:00:00Z', 3)).toEqual([
      '2026-01-15T12:00:00.000Z',
      '2026-07-01T12:00:00.000Z',
      '2026-07-15T12:00:00.000Z',
    ]);
  });

  it('is strictly after the given instant', () => {
    expect(firings('0 3 * * ? *', '2026-12-06T03:00:00Z', 1)).toEqual(['2026-12-07T03:00:00.000Z']);
    expect(firings('0 3 * * ? *', '2026-12-06T02:59:59.999Z', 1)).toEqual(['2026-12-06T03:00:00.000Z']);
  });

  it('L, LW and W in day-of-month', () => {
    expect(firings('0 0 L * ? *', '2028-01-31T12:00:00Z', 2)).toEqual([
      '2028-02-29T00:00:00.000Z', // leap year
      '2028-03-31T00:00:00.000Z',
    ]);
    // 2026-10-31 is a Saturday: the last weekday is Friday the 30th.
    expect(firings('0 0 LW * ? *', '2026-10-01T00:00:00Z', 1)).toEqual(['2026-10-30T00:00:00.000Z']);
    // 2026-11-15 is a Sunday: nearest weekday Monday the 16th; 2026-08-01 a Saturday: Monday the 3rd.
    expect(firings('0 0 15W * ? *', '2026-11-01T00:00:00Z', 1)).toEqual(['2026-11-16T00:00:00.000Z']);
    expect(firings('0 0 1W * ? *', '2026-07-31T00:00:00Z', 1)).toEqual(['2026-08-03T00:00:00.000Z']);
  });

  it('L and # in day-of-week', () => {
    // The last Friday (6L) and the second Tuesday (3#2) of the month.
    expect(firings('0 9 ? * 6L *', '2026-12-01T00:00:00Z', 2)).toEqual([
      '2026-12-25T09:00:00.000Z',
      '2027-01-29T09:00:00.000Z',
    ]);
    expect(firings('0 9 ? * TUE#2 *', '2026-12-01T00:00:00Z', 2)).toEqual([
      '2026-12-08T09:00:00.000Z',
      '2027-01-12T09:00:00.000Z',
    ]);
  });

  it('wrapping ranges and years', () => {
    expect(firings('0 0 ? * FRI-MON 2026', '2026-12-24T12:00:00Z', 5)).toEqual([
      '2026-12-25T00:00:00.000Z',
      '2026-12-26T00:00:00.000Z',
      '2026-12-27T00:00:00.000Z',
      '2026-12-28T00:00:00.000Z',
    ]);
  });

  it('never fires for a day that does not exist', () => {
    expect(nextCronTime(parseCron('0 0 30 2 ? *'), new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('skips a local time in the spring-forward gap (Europe/Paris, 2026-03-29)', () => {
    expect(firings('30 2 * * ? *', '2026-03-27T12:00:00Z', 3, 'Europe/Paris')).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-30T00:30:00.000Z', // 02:30 CEST; 2026-03-29 02:30 does not exist
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('fires a repeated local time once, at its first occurrence (Europe/Paris, 2026-10-25)', () => {
    expect(firings('30 2 * * ? *', '2026-10-24T12:00:00Z', 2, 'Europe/Paris')).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST, not again at 02:30 CET (01:30Z)
      '2026-10-26T01:30:00.000Z',
    ]);
    // Asked from inside the repeated hour, the second 02:30 does not fire either.
    expect(firings('30 2 * * ? *', '2026-10-25T01:00:00Z', 1, 'Europe/Paris')).toEqual([
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('keeps local wall time across the change (weekly, Sunday 03:00 in Paris)', () => {
    expect(firings('0 3 ? * SUN *', '2026-10-17T00:00:00Z', 3, 'Europe/Paris')).toEqual([
      '2026-10-18T01:00:00.000Z', // CEST
      '2026-10-25T02:00:00.000Z', // CET from that day on
      '2026-11-01T02:00:00.000Z',
    ]);
  });
});
