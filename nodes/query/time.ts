import { LearnosityInputError } from '../transport/errors';

const OFFSET_PATTERN = /(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

/** Milliseconds to add to UTC to get the wall-clock time of `timeZone` at `utcMs`. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	const wallAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return wallAsUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Reads wall-clock components in `timeZone` (the workflow's) and returns the instant. */
function zonedToUtc(wallAsUtcMs: number, timeZone: string): number {
	const firstGuess = wallAsUtcMs - zoneOffsetMs(wallAsUtcMs, timeZone);
	return wallAsUtcMs - zoneOffsetMs(firstGuess, timeZone);
}

function parseText(text: string, timeZone: string): number {
	if (OFFSET_PATTERN.test(text)) return Date.parse(text);
	const match = LOCAL_PATTERN.exec(text);
	if (!match) return NaN;
	const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '0'] = match;
	const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
	const wall = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms));
	const rolledOver = wall.getUTCMonth() !== +mo - 1 || wall.getUTCDate() !== +d || wall.getUTCHours() !== +h;
	if (rolledOver || +mi > 59 || +s > 59) return NaN;
	return zonedToUtc(wall.getTime(), timeZone);
}

/**
 * An instant from what an n8n dateTime field or an expression gives: an ISO string with or without offset (without
 * one it is read in the workflow's time zone), a Date, a Luxon DateTime, or Unix seconds.
 */
export function toInstant(value: unknown, field: string, timeZone: string): Date {
	let ms = NaN;
	if (typeof value === 'string') ms = parseText(value.trim(), timeZone);
	else if (typeof value === 'number') ms = value * 1000;
	else if (value instanceof Date) ms = value.getTime();
	else if (value && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		ms = (value as { toMillis: () => number }).toMillis();
	}
	if (!Number.isFinite(ms)) {
		throw new LearnosityInputError(
			field,
			`${field} "${String(value)}" is not a date and time`,
			'Pick a date in the field, or give an ISO 8601 value such as 2026-03-01T08:00:00 (read in the workflow time zone) or 2026-03-01T08:00:00Z.',
		);
	}
	return new Date(ms);
}

/** The form the Data API takes for its time filters: ISO 8601 in UTC, whole seconds. */
export function toApiTime(instant: Date, roundUp: boolean): string {
	const seconds = (roundUp ? Math.ceil : Math.floor)(instant.getTime() / 1000);
	return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
