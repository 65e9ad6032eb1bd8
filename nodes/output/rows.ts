import type { SessionRecord } from '../types';

/** A flat, sheet-ready item: every value a string, number or empty. */
export type Row = Record<string, string | number>;
export type RowKind = 'scores' | 'responses' | 'metadata' | 'statuses';

const EMPTY = '';
/** Question types whose stored value is a choice index, not text the learner wrote. */
const CHOICE_TYPES = new Set(['mcq', 'choicematrix', 'orderlist', 'sortlist', 'classification', 'association']);

const cell = (value: unknown): string | number =>
	typeof value === 'number' || typeof value === 'string' ? value : EMPTY;

/** "Linear Equations (Part 2)" → "linear_equations_part_2": usable as a column header anywhere. */
export function columnSafe(title: unknown): string {
	const safe = String(title ?? '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '');
	return safe || 'untitled';
}

function percent(score: unknown, maxScore: unknown): string | number {
	if (typeof score !== 'number' || typeof maxScore !== 'number' || maxScore === 0) return EMPTY;
	return Math.round((score / maxScore) * 1000) / 10;
}

function activeTimeSeconds(record: SessionRecord): number {
	const items = Array.isArray(record.items) ? (record.items as Array<{ time?: unknown }>) : [];
	return items.reduce((sum, item) => sum + (typeof item.time === 'number' ? item.time : 0), 0);
}

function subscoreCells(record: SessionRecord): Row {
	const cells: Row = {};
	const subscores = Array.isArray(record.subscores) ? (record.subscores as Array<Record<string, unknown>>) : [];
	for (const subscore of subscores) {
		let column = `subscore_${columnSafe(subscore.title ?? subscore.id)}`;
		for (let n = 2; column in cells; n++) column = `subscore_${columnSafe(subscore.title ?? subscore.id)}_${n}`;
		cells[column] = cell(subscore.score);
		cells[`${column}_max`] = cell(subscore.max_score);
	}
	return cells;
}

function tagCells(record: SessionRecord): Row {
	const cells: Row = {};
	const metadata = (record.metadata ?? {}) as { session_tags?: Array<{ type?: unknown; name?: unknown }> };
	for (const tag of Array.isArray(metadata.session_tags) ? metadata.session_tags : []) {
		const column = `tag_${columnSafe(tag.type)}`;
		const name = String(tag.name ?? '');
		cells[column] = column in cells ? `${cells[column]}, ${name}` : name;
	}
	return cells;
}

/** One row per session. */
export function sessionRow(kind: RowKind, record: SessionRecord): Row {
	if (kind === 'metadata') {
		return { session_id: cell(record.session_id), user_id: cell(record.user_id), ...tagCells(record) };
	}
	if (kind === 'statuses') return statusRow(record);
	const row: Row = {
		session_id: cell(record.session_id),
		user_id: cell(record.user_id),
		activity_id: cell(record.activity_id),
		status: cell(record.status),
		score: cell(record.score),
		max_score: cell(record.max_score),
		percent: percent(record.score, record.max_score),
		num_attempted: cell(record.num_attempted),
		num_questions: cell(record.num_questions),
		dt_started: cell(record.dt_started),
		dt_completed: cell(record.dt_completed),
		session_duration_minutes: cell(record.session_duration),
	};
	if (kind === 'responses') row.active_time_seconds = activeTimeSeconds(record);
	return { ...row, ...subscoreCells(record) };
}

/** Where a session stands: the columns of Get Statuses. */
function statusRow(record: SessionRecord): Row {
	return {
		session_id: cell(record.session_id),
		user_id: cell(record.user_id),
		activity_id: cell(record.activity_id),
		status: cell(record.status),
		dt_started: cell(record.dt_started),
		dt_completed: cell(record.dt_completed),
		num_attempted: cell(record.num_attempted),
		num_questions: cell(record.num_questions),
		session_duration_minutes: cell(record.session_duration),
		dt_saved: cell(record.dt_saved),
	};
}

function answerText(questionType: unknown, response: unknown): string {
	const value = (response as { value?: unknown } | null)?.value;
	if (typeof value === 'string') return value;
	if (CHOICE_TYPES.has(String(questionType)) || !Array.isArray(value)) return EMPTY;
	return value.every((entry) => typeof entry === 'string') ? value.join('; ') : EMPTY;
}

/** One row per response of a Get Responses record, with its session's context and its item's time. */
export function responseRows(record: SessionRecord): Row[] {
	const items = (Array.isArray(record.items) ? record.items : []) as Array<{
		reference?: unknown;
		time?: unknown;
		response_ids?: unknown[];
	}>;
	const itemOf = new Map<unknown, (typeof items)[number]>();
	for (const item of items) for (const id of item.response_ids ?? []) itemOf.set(id, item);
	const responses = (Array.isArray(record.responses) ? record.responses : []) as Array<Record<string, unknown>>;
	return responses.map((response) => {
		const item = itemOf.get(response.response_id);
		return {
			session_id: cell(record.session_id),
			user_id: cell(record.user_id),
			activity_id: cell(record.activity_id),
			response_id: cell(response.response_id),
			question_type: cell(response.question_type),
			item_reference: cell(item?.reference),
			time_seconds: cell(item?.time),
			score: cell(response.score),
			max_score: cell(response.max_score),
			dt_score_updated: cell(response.dt_score_updated),
			answer: answerText(response.question_type, response.response),
		};
	});
}

/**
 * Gives every row the same columns in the same order (first seen first; missing values empty), so that appending
 * the rows to a sheet never shifts a column.
 */
export function alignColumns(rows: Row[]): Row[] {
	const columns = new Set<string>();
	for (const row of rows) for (const column of Object.keys(row)) columns.add(column);
	return rows.map((row) => Object.fromEntries([...columns].map((column) => [column, row[column] ?? EMPTY])));
}
