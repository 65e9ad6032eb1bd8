import type { StoredSession } from './model';
import { iso } from './isoTime';

export type SessionEndpoint = 'sessions/metadata' | 'sessions/responses' | 'sessions/scores';
export const SESSION_ENDPOINTS: SessionEndpoint[] = ['sessions/metadata', 'sessions/responses', 'sessions/scores'];

/** A request rejected for its parameters: the API's 400 with a 2000x code. */
export class ParameterError extends Error {
	constructor(
		readonly code: number,
		message: string,
	) {
		super(message);
	}
}
const STATUSES = ['Incomplete', 'Completed', 'Discarded', 'Pending Scoring'];
const ARRAY_FILTERS = ['activity_id', 'session_id', 'user_id', 'status'] as const;
const TIME_FILTERS: Array<[string, 'updated' | 'started' | 'completed', 'min' | 'max']> = [
	['mintime', 'updated', 'min'],
	['maxtime', 'updated', 'max'],
	['mintime_started', 'started', 'min'],
	['maxtime_started', 'started', 'max'],
	['mintime_completed', 'completed', 'min'],
	['maxtime_completed', 'completed', 'max'],
];

/** Paging position: (updated ms, sequence). The token is its text form, opaque to clients. */
function tokenOf(session: StoredSession): string {
	return `${Math.floor(session.updatedMs / 1000)}.${String(session.updatedMs % 1000).padStart(3, '0')}${String(session.sequence).padStart(6, '0')}`;
}

function parseToken(token: string): [number, number] {
	const match = /^(\d+)\.(\d{3})(\d{6,})$/.exec(token);
	if (!match) throw new ParameterError(20004, 'Invalid value for next');
	return [Number(match[1]) * 1000 + Number(match[2]), Number(match[3])];
}

function compareKey(a: [number, number], b: [number, number]): number {
	return a[0] - b[0] || a[1] - b[1];
}

function parseTime(value: unknown, name: string): number {
	if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
	if (typeof value === 'string' && value) {
		const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
		if (Number.isFinite(ms)) return ms;
	}
	throw new ParameterError(20003, `Invalid type for ${name}: expected a Unix timestamp or an ISO 8601 string`);
}

function timeOf(session: StoredSession, field: 'updated' | 'started' | 'completed'): number | undefined {
	if (field === 'updated') return session.updatedMs;
	if (field === 'started') return Date.parse(session.dt_started);
	return session.dt_completed ? Date.parse(session.dt_completed) : undefined;
}

export interface PageResult {
	data: Array<Record<string, unknown>>;
	next?: string;
}

/** The emulator's data and the sessions endpoints' query semantics: filters, sort, limit and the `next` cursor. */
export class SessionStore {
	private readonly sessions = new Map<string, StoredSession>();
	private sequence = 0;
	/** All sessions oldest-first in the paging order; rebuilt after a write, so that a page costs a search, not a sort. */
	private ordered?: StoredSession[];

	constructor(initial: StoredSession[] = []) {
		for (const session of initial) this.put(session, session.updatedMs);
	}

	all(): StoredSession[] {
		return [...this.sessions.values()];
	}

	get(sessionId: string): StoredSession | undefined {
		return this.sessions.get(sessionId);
	}

	/** Stores a new or changed session, moving it to `updatedMs` in the paging order (as a learner's save does). */
	put(session: StoredSession, updatedMs: number): StoredSession {
		const stored = { ...session, updatedMs, sequence: ++this.sequence };
		this.sessions.set(stored.session_id, stored);
		this.ordered = undefined;
		return stored;
	}

	/**
	 * A submission that waits for manual scoring: status Pending Scoring, `dt_completed` set to `atMs`, the responses
	 * that need a person (not automarkable) unscored.
	 */
	submitForScoring(sessionId: string, atMs: number): StoredSession {
		const session = this.required(sessionId);
		const responses = session.responses.map((r) => (r.automarkable ? r : { ...r, score: null }));
		return this.put({ ...session, status: 'Pending Scoring', dt_completed: iso(atMs), responses }, atMs);
	}

	/**
	 * A grader scores what waits for manual scoring (`score` picks each response's score): the session becomes
	 * Completed and its updated time moves to `atMs`, while `dt_completed` keeps the submission time.
	 */
	grade(sessionId: string, atMs: number, score: (maxScore: number) => number): StoredSession {
		const session = this.required(sessionId);
		if (session.status !== 'Pending Scoring') throw new Error(`${sessionId} is ${session.status}, not Pending Scoring`);
		const responses = session.responses.map((r) =>
			r.score === null ? { ...r, score: score(r.max_score), dt_score_updated: iso(atMs) } : r,
		);
		return this.put({ ...session, status: 'Completed', responses }, atMs);
	}

	private required(sessionId: string): StoredSession {
		const session = this.sessions.get(sessionId);
		if (!session) throw new Error(`No session ${sessionId} in the emulator`);
		return session;
	}

	/** What a query returns, in the API's order, before paging: the ground truth for tests. */
	matching(request: Record<string, unknown>, { uncapped = false } = {}): StoredSession[] {
		const keep = this.filterOf(request, uncapped);
		const sessions = this.inPagingOrder().filter(keep);
		return sortDirection(request) === 1 ? sessions : sessions.reverse();
	}

	/** The records one unpaged, uncapped query would give: what an export must return. */
	truth(endpoint: SessionEndpoint, request: Record<string, unknown>): Array<Record<string, unknown>> {
		return this.matching(request, { uncapped: true }).map((s) => project(endpoint, s, request));
	}

	/**
	 * One page of a query. `short`, when set, caps the page below what was asked (a short page mid-stream, as the real
	 * API may serve): the cursor only moves past the records returned, so the next page goes on from there.
	 */
	page(endpoint: SessionEndpoint, request: Record<string, unknown>, short?: number): PageResult {
		const limit = request.limit ?? 50;
		if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
			throw new ParameterError(20003, 'Invalid type for limit: expected a positive integer');
		}
		const token = request.next;
		if (token !== undefined && typeof token !== 'string') throw new ParameterError(20003, 'Invalid type for next');
		const keep = this.filterOf(request, false);
		const direction = sortDirection(request);
		const ordered = this.inPagingOrder();
		// Where the walk resumes: just past the token's position, in the direction of the sort.
		let index = direction === 1 ? 0 : ordered.length - 1;
		if (token !== undefined) {
			const after = parseToken(token);
			const firstAtOrAfter = lowerBound(ordered, (s) => compareKey([s.updatedMs, s.sequence], after) >= 0);
			const firstAfter = lowerBound(ordered, (s) => compareKey([s.updatedMs, s.sequence], after) > 0);
			index = direction === 1 ? firstAfter : firstAtOrAfter - 1;
		}
		const sessions: StoredSession[] = [];
		const size = Math.min(limit, 50, short ?? Infinity);
		for (; index >= 0 && index < ordered.length && sessions.length < size; index += direction) {
			if (keep(ordered[index])) sessions.push(ordered[index]);
		}
		const next = sessions.length ? tokenOf(sessions[sessions.length - 1]) : token;
		return { data: sessions.map((s) => project(endpoint, s, request)), next };
	}

	private inPagingOrder(): StoredSession[] {
		this.ordered ??= this.all().sort((a, b) => compareKey([a.updatedMs, a.sequence], [b.updatedMs, b.sequence]));
		return this.ordered;
	}

	/** Checks the filters like the API does and returns the test a session must pass. */
	private filterOf(request: Record<string, unknown>, uncapped: boolean): (s: StoredSession) => boolean {
		const predicates: Array<(s: StoredSession) => boolean> = [];
		for (const name of ARRAY_FILTERS) {
			const values = request[name];
			if (values === undefined) continue;
			if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
				throw new ParameterError(20003, `Invalid type for ${name}: expected an array of strings`);
			}
			if (values.length > 1000 && !uncapped)
				throw new ParameterError(20002, `Too many values for ${name} (maximum 1000)`);
			if (name === 'status' && values.some((v) => !STATUSES.includes(v))) {
				throw new ParameterError(20004, `Invalid value for status`);
			}
			const wanted = new Set(values as string[]);
			predicates.push((s) => wanted.has(s[name]));
		}
		for (const [name, field, bound] of TIME_FILTERS) {
			if (request[name] === undefined) continue;
			const limit = parseTime(request[name], name);
			predicates.push((s) => {
				const at = timeOf(s, field);
				return at !== undefined && (bound === 'min' ? at >= limit : at <= limit);
			});
		}
		sortDirection(request);
		return (s) => predicates.every((p) => p(s));
	}
}

function sortDirection(request: Record<string, unknown>): 1 | -1 {
	const sort = request.sort ?? 'desc';
	if (sort !== 'asc' && sort !== 'desc') throw new ParameterError(20004, 'Invalid value for sort');
	return sort === 'asc' ? 1 : -1;
}

/** The first index whose element passes `test`, for a test that is false, then true, along the array. */
function lowerBound<T>(values: T[], test: (value: T) => boolean): number {
	let low = 0;
	let high = values.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (test(values[middle])) high = middle;
		else low = middle + 1;
	}
	return low;
}

function scoreOf(session: StoredSession) {
	const scored = session.responses.filter((r) => r.score !== null);
	return {
		score: scored.reduce((sum, r) => sum + (r.score ?? 0), 0),
		max_score: session.responses.reduce((sum, r) => sum + r.max_score, 0),
		num_attempted: session.responses.filter((r) => r.response !== null).length,
		num_questions: session.responses.length,
	};
}

function subscoresOf(session: StoredSession) {
	if (!session.subscoreGroups.length) return null;
	return session.subscoreGroups.map((group) => {
		const responses = session.responses.filter((r) => group.itemReferences.includes(r.item_reference));
		const attempted = responses.filter((r) => r.response !== null);
		return {
			id: group.id,
			title: group.title,
			num_questions: responses.length,
			num_attempted: attempted.length,
			score: responses.reduce((sum, r) => sum + (r.score ?? 0), 0),
			max_score: responses.reduce((sum, r) => sum + r.max_score, 0),
			attempted_max_score: attempted.reduce((sum, r) => sum + r.max_score, 0),
			items: group.itemReferences,
		};
	});
}

function durationMinutes(session: StoredSession): number {
	const end = session.dt_completed ? Date.parse(session.dt_completed) : session.updatedMs;
	return Math.max(0, Math.ceil((end - Date.parse(session.dt_started)) / 60_000));
}

function project(endpoint: SessionEndpoint, s: StoredSession, request: Record<string, unknown>) {
	if (endpoint === 'sessions/metadata') {
		return { user_id: s.user_id, session_id: s.session_id, metadata: s.sessionMetadata };
	}
	const common = {
		user_id: s.user_id,
		activity_id: s.activity_id,
		session_id: s.session_id,
		status: s.status,
		...scoreOf(s),
		subscores: subscoresOf(s),
		session_duration: durationMinutes(s),
		dt_started: s.dt_started,
		dt_completed: s.dt_completed,
		dt_saved: iso(s.savedMs ?? s.updatedMs),
	};
	if (endpoint === 'sessions/scores') {
		if (request.include_response_scores !== true) return common;
		const responses = s.responses.map(({ response_id, question_type, automarkable, score, max_score }) => ({
			response_id,
			question_type,
			automarkable,
			score,
			max_score,
		}));
		return { ...common, responses };
	}
	const record: Record<string, unknown> = {
		...common,
		responses: s.responses.map(
			({ response_id, question_type, dt_score_updated, automarkable, score, max_score, response }) => ({
				response_id,
				question_type,
				dt_score_updated,
				automarkable,
				score,
				max_score,
				response,
			}),
		),
		items: s.responses.map((r) => ({
			reference: r.item_reference,
			time: r.time,
			response_ids: [r.response_id],
			user_flagged: false,
			scoring: { score: r.score ?? 0, max_score: r.max_score, type: 'per-question' },
		})),
		metadata: s.itemsApiMetadata,
	};
	const include = (request.include as Record<string, unknown> | undefined)?.['sessions.session_metadata'];
	if (Array.isArray(include)) {
		record.session_metadata = Object.fromEntries(
			include.filter((field) => field in s.sessionMetadata).map((field) => [field, s.sessionMetadata[field]]),
		);
	}
	return record;
}
