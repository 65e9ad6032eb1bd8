import { alignColumns, columnSafe, responseRows, sessionRow } from '../../nodes/output/rows';

const scoresRecord = {
	user_id: 'u1',
	activity_id: 'chemistry',
	session_id: 's1',
	status: 'Completed',
	score: 39,
	max_score: 40,
	num_attempted: 20,
	num_questions: 20,
	session_duration: 1714,
	dt_started: '2023-03-03T12:23:35Z',
	dt_completed: '2023-03-04T16:57:15Z',
	subscores: [
		{ id: 'subscore-1', title: 'Bio Chem!', score: 19, max_score: 20 },
		{ id: 'subscore-2', title: 'inorganics', score: 20, max_score: 20 },
	],
};

describe('rows', () => {
	test('a scores record becomes one flat row, in the documented column order', () => {
		expect(sessionRow('scores', scoresRecord)).toEqual({
			session_id: 's1',
			user_id: 'u1',
			activity_id: 'chemistry',
			status: 'Completed',
			score: 39,
			max_score: 40,
			percent: 97.5,
			num_attempted: 20,
			num_questions: 20,
			dt_started: '2023-03-03T12:23:35Z',
			dt_completed: '2023-03-04T16:57:15Z',
			session_duration_minutes: 1714,
			subscore_bio_chem: 19,
			subscore_bio_chem_max: 20,
			subscore_inorganics: 20,
			subscore_inorganics_max: 20,
		});
		expect(Object.keys(sessionRow('scores', scoresRecord)).slice(0, 5)).toEqual([
			'session_id',
			'user_id',
			'activity_id',
			'status',
			'score',
		]);
	});

	test('percent has one decimal and is empty when there is no maximum', () => {
		expect(sessionRow('scores', { ...scoresRecord, score: 2, max_score: 3 }).percent).toBe(66.7);
		expect(sessionRow('scores', { ...scoresRecord, max_score: 0 }).percent).toBe('');
		expect(sessionRow('scores', { ...scoresRecord, max_score: undefined }).percent).toBe('');
		expect(sessionRow('scores', { ...scoresRecord, score: null }).percent).toBe('');
	});

	test('responses rows add the active time: the sum of the items’ time (the seed’s 85 + 65 + 70 = 220 s)', () => {
		const record = { ...scoresRecord, items: [{ time: 85 }, { time: 65 }, { time: 70 }], subscores: null };
		const row = sessionRow('responses', record);
		expect(row.active_time_seconds).toBe(220);
		expect(row.dt_completed).toBe('2023-03-04T16:57:15Z');
		expect(Object.keys(row)).not.toContain('subscore_bio_chem');
	});

	test('missing values are empty, never undefined or objects', () => {
		const row = sessionRow('scores', { session_id: 's2', dt_completed: null, subscores: null });
		expect(row.dt_completed).toBe('');
		expect(row.score).toBe('');
		expect(Object.values(row).every((value) => typeof value === 'string' || typeof value === 'number')).toBe(true);
	});

	test('metadata rows flatten session tags into tag_<type> columns', () => {
		const record = {
			user_id: 'u1',
			session_id: 's1',
			metadata: {
				session_tags: [
					{ type: 'assignment_type', name: 'homework' },
					{ type: 'Class Group', name: '7A' },
					{ type: 'Class Group', name: '7B' },
				],
			},
		};
		expect(sessionRow('metadata', record)).toEqual({
			session_id: 's1',
			user_id: 'u1',
			tag_assignment_type: 'homework',
			tag_class_group: '7A, 7B',
		});
	});

	test('one row per response with item time, score and the answer when it is text', () => {
		const record = {
			session_id: 's1',
			user_id: 'u1',
			activity_id: 'numeracy',
			responses: [
				{
					response_id: 'r1',
					question_type: 'longtextV2',
					score: 3,
					max_score: 4,
					dt_score_updated: 't1',
					response: { value: 'A parallelogram…' },
				},
				{
					response_id: 'r2',
					question_type: 'mcq',
					score: 1,
					max_score: 1,
					dt_score_updated: 't2',
					response: { value: ['2'] },
				},
				{
					response_id: 'r3',
					question_type: 'clozetext',
					score: 0,
					max_score: 1,
					dt_score_updated: 't3',
					response: { value: ['H2O', 'CO2'] },
				},
				{
					response_id: 'r4',
					question_type: 'shorttext',
					score: null,
					max_score: 1,
					dt_score_updated: 't4',
					response: null,
				},
			],
			items: [
				{ reference: 'i1', time: 85, response_ids: ['r1'] },
				{ reference: 'i2', time: 65, response_ids: ['r2', 'r3'] },
			],
		};
		const rows = responseRows(record);
		expect(rows.map((r) => [r.response_id, r.item_reference, r.time_seconds, r.answer])).toEqual([
			['r1', 'i1', 85, 'A parallelogram…'],
			['r2', 'i2', 65, ''],
			['r3', 'i2', 65, 'H2O; CO2'],
			['r4', '', '', ''],
		]);
		expect(Object.keys(rows[0])).toEqual([
			'session_id',
			'user_id',
			'activity_id',
			'response_id',
			'question_type',
			'item_reference',
			'time_seconds',
			'score',
			'max_score',
			'dt_score_updated',
			'answer',
		]);
	});

	test('aligned rows share the same columns in the same order, missing ones empty', () => {
		const rows = alignColumns([
			{ session_id: 'a', subscore_x: 1 },
			{ session_id: 'b', subscore_y: 2 },
		]);
		expect(rows).toEqual([
			{ session_id: 'a', subscore_x: 1, subscore_y: '' },
			{ session_id: 'b', subscore_x: '', subscore_y: 2 },
		]);
		expect(Object.keys(rows[1])).toEqual(['session_id', 'subscore_x', 'subscore_y']);
	});

	test('column-safe titles', () => {
		expect(columnSafe('Linear Equations (Part 2)')).toBe('linear_equations_part_2');
		expect(columnSafe('')).toBe('untitled');
		expect(columnSafe('Ñandú')).toBe('and');
	});
});
