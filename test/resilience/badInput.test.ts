import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { DEMO_CONSUMER_SECRET, type Fault } from '../../dev/emulator/server';
import { useEmulator } from '../harness/emulatorFixture';
import { runSessionsNode } from '../harness/n8nWorkflow';

const { emulator, credentials } = useEmulator(60);
const scores = (change: INodeParameters = {}): INodeParameters => ({ operation: 'getScores', limit: 5, ...change });

interface BadInput {
	parameters?: INodeParameters;
	credentials?: IDataObject;
	fault?: Fault;
	/** What the message must name: the field, or the vendor code. */
	names: string;
	/** What the description (the fix) must mention. */
	fix: RegExp;
}

const CASES: Record<string, BadInput> = {
	'unknown operation (e.g. a workflow saved by a newer version)': {
		parameters: scores({ operation: 'getEverything' }),
		names: 'Operation',
		fix: /Get Metadata, Get Responses, Get Scores/,
	},
	'unparseable Updated After': {
		parameters: scores({ filters: { updatedAfter: 'yesterday' } }),
		names: 'Updated After',
		fix: /ISO 8601/,
	},
	'impossible Completed Before': {
		parameters: scores({ filters: { completedBefore: '2026-13-45T00:00:00' } }),
		names: 'Completed Before',
		fix: /ISO 8601/,
	},
	'object as Updated Before': {
		parameters: scores({ filters: { updatedBefore: '={{ {"day": 3} }}' } }),
		names: 'Updated Before',
		fix: /Pick a date/,
	},
	'Updated After later than Before': {
		parameters: scores({ filters: { updatedAfter: '2026-05-02', updatedBefore: '2026-05-01' } }),
		names: 'Updated After',
		fix: /Swap/,
	},
	'Started After later than Before': {
		parameters: scores({ filters: { startedAfter: '2026-05-02', startedBefore: '2026-05-01' } }),
		names: 'Started After',
		fix: /Swap/,
	},
	'Completed After later than Before': {
		parameters: scores({
			filters: { completedAfter: '2026-05-02T10:00:00Z', completedBefore: '2026-05-02T09:00:00Z' },
		}),
		names: 'Completed After',
		fix: /Swap/,
	},
	'Limit 0': { parameters: scores({ limit: '={{ 0 }}' }), names: 'Limit', fix: /Return All/ },
	'Limit negative': { parameters: scores({ limit: '={{ -3 }}' }), names: 'Limit', fix: /Return All/ },
	'Limit fractional': { parameters: scores({ limit: '={{ 2.5 }}' }), names: 'Limit', fix: /Return All/ },
	'Limit not a number': { parameters: scores({ limit: '={{ "many" }}' }), names: 'Limit', fix: /Return All/ },
	'Activity IDs from an object': {
		parameters: scores({ filters: { activityIds: '={{ { "id": "algebra-unit-1" } }}' } }),
		names: 'Activity IDs',
		fix: /array/,
	},
	'User IDs from an object': {
		parameters: scores({ filters: { userIds: '={{ { "user": 1 } }}' } }),
		names: 'User IDs',
		fix: /array/,
	},
	'Session IDs with a nested object': {
		parameters: scores({ filters: { sessionIds: '={{ ["a", { "b": 1 }] }}' } }),
		names: 'Session IDs',
		fix: /text or number/,
	},
	'User IDs as a boolean': {
		parameters: scores({ filters: { userIds: '={{ true }}' } }),
		names: 'User IDs',
		fix: /Separate IDs/,
	},
	'unknown status from an expression': {
		parameters: scores({ filters: { status: '={{ ["Finished"] }}' } }),
		names: 'Status',
		fix: /Pending Scoring/,
	},
	'status as a number': { parameters: scores({ filters: { status: '={{ 5 }}' } }), names: 'Status', fix: /Completed/ },
	'Parallel Requests negative': {
		parameters: scores({ returnAll: true, options: { parallelRequests: '={{ -2 }}' } }),
		names: 'Parallel Requests',
		fix: /8–10/,
	},
	'unknown sort from an expression': {
		parameters: scores({ options: { sort: '={{ "sideways" }}' } }),
		names: 'Sort',
		fix: /Oldest Update First/,
	},
	'metadata fields as an object': {
		parameters: { operation: 'getResponses', limit: 1, options: { sessionMetadataFields: '={{ { "a": 1 } }}' } },
		names: 'Session Metadata Fields',
		fix: /array/,
	},
	'empty consumer key': { credentials: { consumerKey: '' }, names: 'Consumer Key', fix: /consumer key/ },
	'empty consumer secret': { credentials: { consumerSecret: '' }, names: 'Consumer Secret', fix: /secret/ },
	'empty domain': { credentials: { domain: ' ' }, names: 'Domain', fix: /localhost/ },
	'unknown region': { credentials: { region: 'mars' }, names: 'Region', fix: /custom/ },
	'custom region without base URL': { credentials: { baseUrl: '' }, names: 'Base URL', fix: /emulator/ },
	'base URL that is not a URL': { credentials: { baseUrl: 'learnosity proxy' }, names: 'Base URL', fix: /scheme/ },
	'base URL with another scheme': {
		credentials: { baseUrl: 'ftp://files.example.org' },
		names: 'Base URL',
		fix: /https:\/\//,
	},
	'plain http to a learnosity.com host': {
		credentials: { baseUrl: 'http://data-ie.learnosity.com' },
		names: 'Base URL',
		fix: /https:\/\//,
	},
	'API version that is not one': { credentials: { apiVersion: 'v2025' }, names: 'API Version', fix: /v2025\.2\.LTS/ },
	'empty API version': { credentials: { apiVersion: '' }, names: 'API Version', fix: /latest-lts/ },
	'consumer key Learnosity does not know': {
		credentials: { consumerKey: 'who-is-this' },
		names: '41002',
		fix: /Consumer Key/,
	},
	'secret that does not match': { credentials: { consumerSecret: 'guess' }, names: '41003', fix: /Consumer Secret/ },
	'domain not allowlisted': { credentials: { domain: 'school.example' }, names: '41005', fix: /Domain/ },
	'retired API version': { credentials: { apiVersion: 'v2020.1.LTS' }, names: '42001', fix: /supported API version/ },
	'a 200 without meta': { fault: 'noMeta', names: '"meta"', fix: /region or base URL/ },
	'meta.status false on a 200': { fault: 'statusFalse200', names: '20004', fix: /Invalid value for sort/ },
	'an HTML error page': { fault: 'html404', names: 'not JSON', fix: /region or base URL/ },
};

describe('bad input is answered with the field and the fix; the secret appears nowhere', () => {
	const printed: string[] = [];
	const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
		jest
			.spyOn(console, level)
			.mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' '))),
	);
	afterAll(() => {
		spies.forEach((spy) => spy.mockRestore());
		expect(printed.join('\n')).not.toContain(DEMO_CONSUMER_SECRET);
	});

	test('there are at least 30 cases', () => expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(30));

	test.each(Object.entries(CASES))('%s', async (_name, badInput) => {
		if (badInput.fault) emulator.failNext(badInput.fault);
		const result = await runSessionsNode({
			parameters: badInput.parameters ?? scores(),
			credentials: credentials(badInput.credentials),
		});
		expect(result.items).toEqual([]);
		const error = result.error as unknown as { message: string; description?: string };
		expect(error.message).toContain(badInput.names);
		expect(error.description).toMatch(badInput.fix);
		const everything = JSON.stringify({
			error,
			message: error.message,
			description: error.description,
			stack: (error as Error).stack,
		});
		expect(everything).not.toContain(DEMO_CONSUMER_SECRET);
	});

	test('with Continue On Fail, the same errors become items that do not carry the secret', async () => {
		const result = await runSessionsNode({
			parameters: scores({ filters: { status: '={{ $json.status }}' } }),
			credentials: credentials({ consumerSecret: 'not-the-secret' }),
			input: [{ status: 'Completed' }, { status: 'Nope' }],
			continueOnFail: true,
		});
		expect(result.items.map((i) => i.json.error)).toEqual([
			expect.stringContaining('41003'),
			expect.stringContaining('Status'),
		]);
		expect(JSON.stringify(result.items)).not.toContain(DEMO_CONSUMER_SECRET);
	});
});
