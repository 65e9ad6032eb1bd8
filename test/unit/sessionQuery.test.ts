import { LearnosityInputError } from '../../nodes/transport/errors';
import { parseIdList, parseStatuses, sessionFilterParams } from '../../nodes/query/sessionQuery';

function fieldOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(LearnosityInputError);
		return (error as LearnosityInputError).field;
	}
	throw new Error('expected an input error');
}

describe('ID lists', () => {
	test('split text on commas, spaces and new lines; trim; drop empties and duplicates', () => {
		expect(parseIdList(' a, b\nc  d,,\n a ', 'User IDs')).toEqual(['a', 'b', 'c', 'd']);
	});

	test('take arrays from expressions, numbers as text', () => {
		expect(parseIdList(['x', ' y ', 7, ''], 'User IDs')).toEqual(['x', 'y', '7']);
		expect(parseIdList(42, 'User IDs')).toEqual(['42']);
		expect(parseIdList(undefined, 'User IDs')).toEqual([]);
	});

	test('reject objects and nested values, naming the field', () => {
		expect(fieldOf(() => parseIdList({ id: 'a' }, 'Activity IDs'))).toBe('Activity IDs');
		expect(fieldOf(() => parseIdList(['a', { id: 'b' }], 'Session IDs'))).toBe('Session IDs');
		expect(fieldOf(() => parseIdList(true, 'User IDs'))).toBe('User IDs');
	});
});

describe('statuses', () => {
	test('accept the four API values, any case, from a list or comma text', () => {
		expect(parseStatuses(['Completed', 'pending scoring'])).toEqual(['Completed', 'Pending Scoring']);
		expect(parseStatuses('Incomplete, Discarded')).toEqual(['Incomplete', 'Discarded']);
	});

	test('reject an unknown status and list the valid ones', () => {
		try {
			parseStatuses(['Finished']);
			throw new Error('expected an error');
		} catch (error) {
			expect((error as LearnosityInputError).field).toBe('Status');
			expect((error as LearnosityInputError).hint).toContain('Pending Scoring');
		}
	});
});

describe('filters → request parameters', () => {
	test('map every filter to its API parameter', () => {
		const params = sessionFilterParams(
			{
				activityIds: 'a1, a2',
				sessionIds: ['s1'],
				userIds: 'u1\nu2',
				status: ['Completed'],
				updatedAfter: '2026-03-01T00:00:00Z',
				updatedBefore: '2026-03-31T23:59:59Z',
				startedAfter: '2026-02-01T00:00:00Z',
				startedBefore: '2026-02-02T00:00:00Z',
				completedAfter: '2026-04-01T10:00:00+02:00',
				completedBefore: '2026-04-02T00:00:00.500Z',
			},
			'UTC',
		);
		expect(params).toEqual({
			activity_id: ['a1', 'a2'],
			session_id: ['s1'],
			user_id: ['u1', 'u2'],
			status: ['Completed'],
			mintime: '2026-03-01T00:00:00Z',
			maxtime: '2026-03-31T23:59:59Z',
			mintime_started: '2026-02-01T00:00:00Z',
			maxtime_started: '2026-02-02T00:00:00Z',
			mintime_completed: '2026-04-01T08:00:00Z',
			maxtime_completed: '2026-04-02T00:00:01Z',
		});
	});

	test("read a date without offset in the workflow's time zone, across DST", () => {
		expect(sessionFilterParams({ updatedAfter: '2026-01-15T09:00:00' }, 'America/New_York')).toEqual({
			mintime: '2026-01-15T14:00:00Z',
		});
		expect(sessionFilterParams({ updatedAfter: '2026-07-15T09:00:00' }, 'America/New_York')).toEqual({
			mintime: '2026-07-15T13:00:00Z',
		});
		expect(sessionFilterParams({ startedAfter: '2026-07-15' }, 'Australia/Sydney')).toEqual({
			mintime_started: '2026-07-14T14:00:00Z',
		});
	});

	test('accept Dates, Luxon-like DateTimes and Unix seconds from expressions', () => {
		const at = Date.UTC(2026, 4, 1, 12, 0, 0);
		expect(sessionFilterParams({ updatedAfter: new Date(at) }, 'UTC').mintime).toBe('2026-05-01T12:00:00Z');
		expect(sessionFilterParams({ updatedAfter: { toMillis: () => at } }, 'UTC').mintime).toBe('2026-05-01T12:00:00Z');
		expect(sessionFilterParams({ updatedAfter: at / 1000 }, 'UTC').mintime).toBe('2026-05-01T12:00:00Z');
	});

	test('leave out empty filters', () => {
		expect(sessionFilterParams({ activityIds: '', status: [], updatedAfter: '' }, 'UTC')).toEqual({});
	});

	test.each([
		[{ updatedAfter: 'yesterday' }, 'Updated After'],
		[{ completedBefore: '2026-13-45T00:00:00' }, 'Completed Before'],
		[{ startedAfter: { when: 'now' } }, 'Started After'],
		[{ updatedAfter: '2026-03-02T00:00:00Z', updatedBefore: '2026-03-01T00:00:00Z' }, 'Updated After'],
		[{ startedAfter: '2026-03-02', startedBefore: '2026-03-01' }, 'Started After'],
		[{ status: 'Done' }, 'Status'],
		[{ userIds: { a: 1 } }, 'User IDs'],
	])('reject %j naming %s', (filters, field) => {
		expect(fieldOf(() => sessionFilterParams(filters, 'UTC'))).toBe(field);
	});
});
