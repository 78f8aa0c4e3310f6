/** Dates and times as people read them in a chat, in the browser's locale. */

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const shortWeekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long' });
const fullDayFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const shortDateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

const DAY_MS = 24 * 60 * 60 * 1000;

/** Chat dates are unix seconds (the seed's format). */
export const dateOfSeconds = (seconds: number) => new Date(seconds * 1000);

/** A key that is equal for two dates on the same local calendar day. */
export function dayKey(seconds: number): string {
  const date = dateOfSeconds(seconds);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** How many calendar days before `now` the date falls (0 = today). */
function daysAgo(date: Date, now: Date): number {
  return Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
}

export const formatTime = (seconds: number) => timeFormat.format(dateOfSeconds(seconds));

export const formatFullDate = (seconds: number) => fullFormat.format(dateOfSeconds(seconds));

/** The label of a day separator: Today, Yesterday, a weekday this week, or a date. */
export function formatDayLabel(seconds: number, now = new Date()): string {
  const date = dateOfSeconds(seconds);
  const ago = daysAgo(date, now);
  if (ago === 0) return 'Today';
  if (ago === 1) return 'Yesterday';
  if (ago > 1 && ago < 7) return weekdayFormat.format(date);
  return date.getFullYear() === now.getFullYear()
    ? dayFormat.format(date)
    : fullDayFormat.format(date);
}

/** The short time next to a room in the list: a time today, a weekday this week, else a date. */
export function formatListTime(seconds: number, now = new Date()): string {
  const date = dateOfSeconds(seconds);
  const ago = daysAgo(date, now);
  if (ago === 0) return formatTime(seconds);
  if (ago > 0 && ago < 7) return shortWeekdayFormat.format(date);
  return shortDateFormat.format(date);
}

/** A server's reason ("a room named … already exists") as a sentence: capital first, full stop. */
export function asSentence(reason: string): string {
  const text = reason.trim();
  if (!text) return text;
  const capital = text[0]!.toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** "1 member", "3 members". */
export const countOf = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;
