import { checkJob, jobReferenceOf } from '../../nodes/jobs/jobRecords';
import { waitForJobs } from '../../nodes/jobs/waitForJobs';
import type { PageSource } from '../../nodes/types';

describe('reading what the job endpoints answer, where the docs are silent', () => {
	test('a job reference is read from data as an object or as a list', () => {
		expect(jobReferenceOf({ job_reference: 'a' }, 'x')).toBe('a');
		expect(jobReferenceOf([{ job_reference: 'b' }], 'x')).toBe('b');
	});

	test.each([[{}], [[]], [null], [{ reference: 'c' }]])(
		'no job reference in %j is an error that says the job may exist',
		(data) => {
			expect(() => jobReferenceOf(data, 'jobs/sessions/statuses')).toThrow(/no job reference/);
			try {
				jobReferenceOf(data, 'jobs/sessions/statuses');
			} catch (error) {
				expect((error as { hint: string }).hint).toMatch(/probably been created.*Job → Get/);
			}
		},
	);

	test('an unknown job state is an error naming it, not a guess', () => {
		expect(() => checkJob({ reference: 'r', status: 'failed' })).toThrow(
			'Job r is in the state "failed", which this node does not know',
		);
		expect(checkJob({ reference: 'r', status: 'halted' }).status).toBe('halted');
	});

	test('waiting polls all unfinished jobs in one request per round and stops at the terminal states', async () => {
		const states: Record<string, string[]> = { a: ['queued', 'running', 'completed'], b: ['running', 'halted'] };
		const requests: Array<Record<string, unknown>> = [];
		const api: PageSource = {
			get: async (_endpoint, request) => {
				requests.push(request);
				const data = (request.references as string[]).map((reference) => ({
					reference,
					status: states[reference].shift() ?? 'completed',
				}));
				return { data };
			},
		};
		const outcomes = await waitForJobs(api, ['a', 'b'], { intervalMs: 1, maxWaitMs: 10_000 }, async () => undefined);
		expect(requests.map((request) => request.references)).toEqual([['a', 'b'], ['a', 'b'], ['a']]);
		expect(requests[0].status).toEqual(['queued', 'running', 'halted', 'completed']);
		expect(outcomes.get('a')).toEqual({ job: { reference: 'a', status: 'completed' } });
		expect(String((outcomes.get('b') as { error: Error }).error.message)).toMatch(/Job b halted/);
	});
});
