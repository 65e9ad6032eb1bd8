import { LearnosityInputError } from '../transport/errors';
import { toApiTime, toInstant } from './time';

export const SESSION_STATUSES = ['Incomplete', 'Completed', 'Discarded', 'Pending Scoring'] as const;

/** The node's `filters` collection, as read from the parameters (values may come from expressions). */
export interface SessionFilters {
	activityIds?: unknown;
	sessionIds?: unknown;
	userIds?: unknown;
	status?: unknown;
	updatedAfter?: unknown;
	updatedBefore?: unknown;
	startedAfter?: unknown;
	startedBefore?: unknown;
	completedAfter?: unknown;
	completedBefore?: unknown;
}

const ID_FILTERS = [
	{ filter: 'activityIds', label: 'Activity IDs', param: 'activity_id' },
	{ filter: 'sessionIds', label: 'Session IDs', param: 'session_id' },
	{ filter: 'userIds', label: 'User IDs', param: 'user_id' },
] as const;

const TIME_RANGES = [
	{ after: 'updatedAfter', before: 'updatedBefore', label: 'Updated', min: 'mintime', max: 'maxtime' },
	{
		after: 'startedAfter',
		before: 'startedBefore',
		label: 'Started',
		min: 'mintime_started',
		max: 'maxtime_started',
	},
	{
		after: 'completedAfter',
		before: 'completedBefore',
		label: 'Completed',
		min: 'mintime_completed',
		max: 'maxtime_completed',
	},
] as const;

/** A list of IDs from text (comma, space or newline separated) or from an expression's array; trimmed, deduplicated. */
export function parseIdList(value: unknown, label: string): string[] {
	if (value === undefined || value === null || value === '') return [];
	let values: unknown[];
	if (typeof value === 'string') values = value.split(/[\s,]+/);
	else if (typeof value === 'number') values = [value];
	else if (Array.isArray(value)) values = value;
	else {
		throw new LearnosityInputError(
			label,
			`${label} must be text or a list of IDs, not ${typeof value === 'object' ? 'an object' : typeof value}`,
			'Separate IDs with commas, spaces or new lines, or make the expression return an array of strings, e.g. {{ $json.ids }} where ids is ["a","b"].',
		);
	}
	const ids = new Set<string>();
	for (const entry of values) {
		if (typeof entry !== 'string' && typeof entry !== 'number') {
			throw new LearnosityInputError(
				label,
				`${label} contains ${entry === null ? 'null' : `a value of type ${typeof entry}`}, which is not an ID`,
				'Every entry must be a text or number ID.',
			);
		}
		const id = String(entry).trim();
		if (id) ids.add(id);
	}
	return [...ids];
}

/** Like {@link parseIdList}, for a field that must name at least one ID; `hint` says where the IDs come from. */
export function requiredIdList(value: unknown, label: string, itemIndex: number, hint: string): string[] {
	const ids = parseIdList(value, label);
	if (!ids.length) throw new LearnosityInputError(label, `${label} is empty for item ${itemIndex}`, hint);
	return ids;
}

export function parseStatuses(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const values = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [value];
	const statuses = new Set<string>();
	for (const entry of values) {
		const text = typeof entry === 'string' ? entry.trim() : '';
		if (!text && typeof entry === 'string') continue;
		const known = SESSION_STATUSES.find((status) => status.toLowerCase() === text.toLowerCase());
		if (!known) {
			throw new LearnosityInputError(
				'Status',
				`Status "${String(entry)}" is not a Learnosity session status`,
				`Use one or more of: ${SESSION_STATUSES.join(', ')}.`,
			);
		}
		statuses.add(known);
	}
	return [...statuses];
}

/** The Data API request parameters for the node's filters (without paging parameters). */
export function sessionFilterParams(filters: SessionFilters, timeZone: string): Record<string, unknown> {
	const params: Record<string, unknown> = {};
	for (const { filter, label, param } of ID_FILTERS) {
		const ids = parseIdList(filters[filter], label);
		if (ids.length) params[param] = ids;
	}
	const statuses = parseStatuses(filters.status);
	if (statuses.length) params.status = statuses;
	for (const range of TIME_RANGES) {
		const afterLabel = `${range.label} After`;
		const beforeLabel = `${range.label} Before`;
		const after = present(filters[range.after]) ? toInstant(filters[range.after], afterLabel, timeZone) : undefined;
		const before = present(filters[range.before]) ? toInstant(filters[range.before], beforeLabel, timeZone) : undefined;
		if (after && before && after > before) {
			throw new LearnosityInputError(
				afterLabel,
				`${afterLabel} (${after.toISOString()}) is later than ${beforeLabel} (${before.toISOString()})`,
				`Swap the two dates, or clear one of them.`,
			);
		}
		if (after) params[range.min] = toApiTime(after, false);
		if (before) params[range.max] = toApiTime(before, true);
	}
	return params;
}

function present(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}
