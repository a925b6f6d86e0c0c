/**
 * Wall-clock time in IANA time zones with Intl only (no time-zone dependency): what a local date and time is
 * as an instant, including the daylight-saving gaps (no instant) and overlaps (two instants).
 */

export interface WallTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Whether Intl knows the zone as an IANA name (`Europe/Paris`, `UTC`, `America/Argentina/Buenos_Aires`).
 * Offsets such as `+01:00`, which recent Intl versions accept, are not IANA names and are refused.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at `instantMs`. */
export function wallTimeAt(instantMs: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

const wallMs = (wall: WallTime) =>
  Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

/** The zone's offset from UTC (milliseconds, east positive) at `instantMs`. */
export function offsetAt(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return wallMs(wallTimeAt(whole, timeZone)) - whole;
}

const DAY_MS = 86_400_000;

/**
 * Every instant at which the clocks of `timeZone` show `wall`, earliest first: none in a spring-forward gap,
 * two in a fall-back overlap, one otherwise. Zones change offset at most once within two days, so the offsets
 * a day before and after cover both sides of any change.
 */
export function instantsOf(wall: WallTime, timeZone: string): number[] {
  const local = wallMs(wall);
  const offsets = new Set([
    offsetAt(local - DAY_MS, timeZone),
    offsetAt(local, timeZone),
    offsetAt(local + DAY_MS, timeZone),
  ]);
  const instants = new Set<number>();
  for (const offset of offsets) {
    const instant = local - offset;
    if (offsetAt(instant, timeZone) === offset) instants.add(instant);
  }
  return [...instants].sort((a, b) => a - b);
}
