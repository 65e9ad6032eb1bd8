import type { StoredResponse, StoredSession } from './model';
import { between, pick, seededRandom, seededUuid } from './random';
import { iso } from './isoTime';

export interface DemoDataOptions {
	sessions: number;
	seed?: number;
	/** Sessions start within the 60 days before this instant (ms). */
	endMs?: number;
}

const ACTIVITIES = [
	{ id: 'algebra-unit-1', subject: 'algebra', groups: ['linear equations', 'inequalities'] },
	{ id: 'algebra-unit-2', subject: 'algebra', groups: ['quadratics', 'factoring'] },
	{ id: 'reading-check-3', subject: 'reading', groups: ['comprehension', 'vocabulary'] },
	{ id: 'chemistry-classtest-1', subject: 'chemistry', groups: ['biochem', 'inorganics'] },
	{ id: 'history-essay-2', subject: 'history', groups: ['sources', 'argument'] },
	{ id: 'spanish-quiz-4', subject: 'spanish', groups: ['listening', 'grammar'] },
] as const;

const CLASSES = ['7A', '7B', '8A', '8B', '9C', '10D'];
const QUESTION_TYPES = ['mcq', 'clozetext', 'shorttext', 'longtextV2', 'imageclozeassociation'] as const;
const ANSWERS = [
	'A parallelogram has two pairs of parallel sides.',
	'x = 4',
	'The author argues that trade shaped the city.',
	'photosynthesis',
	'Ella fue al mercado.',
];
const STATUS_WEIGHTS: Array<[StoredSession['status'], number]> = [
	['Completed', 0.62],
	['Incomplete', 0.23],
	['Pending Scoring', 0.1],
	['Discarded', 0.05],
];

const DAY_MS = 86_400_000;
export const DEMO_END_MS = Date.UTC(2026, 9, 1);

function drawStatus(random: () => number): StoredSession['status'] {
	let roll = random();
	for (const [status, weight] of STATUS_WEIGHTS) {
		if ((roll -= weight) < 0) return status;
	}
	return 'Completed';
}

function responseValue(type: string, random: () => number): Record<string, unknown> {
	if (type === 'mcq') return { value: [String(between(random, 0, 3))], type: 'array' };
	if (type === 'clozetext') return { value: [pick(random, ['4', 'twelve', 'H2O'])], type: 'array' };
	const value = pick(random, ANSWERS);
	return { value, type: 'string', wordCount: value.split(' ').length, apiVersion: 'v2.6.0' };
}

/**
 * Deterministic sessions shaped like the seeds' examples: classes of students taking a few activities, with
 * subscores, per-item times, responses and stored metadata tags.
 */
export function demoSessions(options: DemoDataOptions): StoredSession[] {
	const random = seededRandom(options.seed ?? 20260101);
	const endMs = options.endMs ?? DEMO_END_MS;
	const students = Array.from({ length: Math.max(10, Math.ceil(options.sessions / 4)) }, (_, n) => ({
		id: `student-${String(n + 1).padStart(4, '0')}`,
		class: CLASSES[n % CLASSES.length],
	}));
	const sessions: StoredSession[] = [];
	for (let n = 0; n < options.sessions; n++) {
		const student = pick(random, students);
		const activity = pick(random, ACTIVITIES);
		const sessionId = seededUuid(random);
		const status = drawStatus(random);
		const startedMs = endMs - between(random, 1, 60 * 24 * 60) * 60_000 - between(random, 0, 59) * 1000;
		const numQuestions = between(random, 4, 10);
		const attempted = status === 'Incomplete' ? between(random, 0, numQuestions - 1) : numQuestions;
		const responses: StoredResponse[] = [];
		let clockMs = startedMs;
		for (let q = 0; q < numQuestions; q++) {
			const type = pick(random, QUESTION_TYPES);
			const time = between(random, 15, 240);
			clockMs += time * 1000;
			const answered = q < attempted;
			const maxScore = type === 'longtextV2' ? 4 : 1;
			const manual = type === 'longtextV2';
			const score = !answered ? 0 : manual && status === 'Pending Scoring' ? null : between(random, 0, maxScore);
			responses.push({
				response_id: `${sessionId}_q${q + 1}`,
				question_type: type,
				item_reference: `${activity.id}-item-${q + 1}`,
				automarkable: !manual,
				score,
				max_score: maxScore,
				time: answered ? time : 0,
				dt_score_updated: iso(clockMs),
				response: answered ? responseValue(type, random) : null,
			});
		}
		const resumedLater = random() < 0.15;
		const completedMs = Math.min(endMs, clockMs + (resumedLater ? DAY_MS : between(random, 10, 300) * 1000));
		const ended = status !== 'Incomplete';
		const updatedMs = ended ? completedMs : clockMs;
		const half = Math.ceil(numQuestions / 2);
		sessions.push({
			session_id: sessionId,
			user_id: student.id,
			activity_id: activity.id,
			status,
			dt_started: iso(startedMs),
			dt_completed: ended ? iso(completedMs) : null,
			responses,
			subscoreGroups: activity.groups.map((title, g) => ({
				id: `subscore-${g + 1}`,
				title,
				itemReferences: responses.slice(g * half, (g + 1) * half).map((r) => r.item_reference),
			})),
			sessionMetadata: {
				session_tags: [
					{ type: 'class', name: student.class },
					{ type: 'assignment_type', name: pick(random, ['homework', 'classwork', 'exam']) },
					{ type: 'subject', name: activity.subject },
				],
			},
			itemsApiMetadata: {
				activity_template_id: activity.id,
				items_api_version: 'v1.110.0',
				user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36',
			},
			updatedMs: Math.min(updatedMs, endMs),
			sequence: 0,
		});
	}
	return sessions;
}
