import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { useEmulator } from '../harness/emulatorFixture';
import { runSessionsNode } from '../harness/n8nWorkflow';

const { emulator, credentials } = useEmulator(3000);

async function run(parameters: INodeParameters, input?: IDataObject[]) {
	const result = await runSessionsNode({ parameters, credentials: credentials(), input });
	expect(result.error).toBeUndefined();
	return result.items;
}

function sameColumns(items: Array<{ json: IDataObject }>) {
	const columns = JSON.stringify(Object.keys(items[0].json));
	expect(items.every((item) => JSON.stringify(Object.keys(item.json)) === columns)).toBe(true);
	expect(
		items.every((item) => Object.values(item.json).every((v) => typeof v === 'string' || typeof v === 'number')),
	).toBe(true);
	return Object.keys(items[0].json);
}

describe('sheet-ready output over the whole demo dataset', () => {
	test.each([
		['getScores', 'row'],
		['getResponses', 'row'],
		['getResponses', 'rowPerResponse'],
		['getMetadata', 'row'],
	])('%s as %s: every item has the same keys in the same order', async (operation, outputFormat) => {
		const items = await run({ operation, returnAll: true, options: { outputFormat } });
		const columns = sameColumns(items);
		expect(items.length).toBeGreaterThanOrEqual(3000);
		console.info(
			`${operation} ${outputFormat}: ${items.length} items × ${columns.length} columns; first row:\n${JSON.stringify(items[0].json)}`,
		);
	});

	test('rows keep the session order and their pairing; subscore columns from every activity are present', async () => {
		const items = await run({ operation: 'getScores', returnAll: true, options: { outputFormat: 'row' } });
		expect(items.map((i) => i.json.session_id)).toEqual(emulator.store.matching({}).map((s) => s.session_id));
		const columns = Object.keys(items[0].json);
		for (const title of ['biochem', 'inorganics', 'quadratics', 'listening', 'comprehension']) {
			expect(columns).toContain(`subscore_${title}`);
			expect(columns).toContain(`subscore_${title}_max`);
		}
		const chem = items.find((i) => i.json.activity_id === 'chemistry-classtest-1')!;
		expect(chem.json.subscore_quadratics).toBe('');
		expect(typeof chem.json.subscore_biochem).toBe('number');
	});

	test('per-item formats: two input items asking for rows share the columns', async () => {
		const items = await run(
			{
				operation: 'getScores',
				limit: 3,
				filters: { activityIds: '={{ $json.activity }}' },
				options: { outputFormat: 'row' },
			},
			[{ activity: 'chemistry-classtest-1' }, { activity: 'spanish-quiz-4' }],
		);
		sameColumns(items);
		expect(items.map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 0, 0, 1, 1, 1]);
	});

	test('Row per Response is refused outside Get Responses, naming the field', async () => {
		const result = await runSessionsNode({
			parameters: { operation: 'getScores', limit: 1, options: { outputFormat: '={{ "rowPerResponse" }}' } },
			credentials: credentials(),
		});
		expect(result.error?.message).toBe('Output Format "rowPerResponse" is not available here');
		expect((result.error as unknown as { description: string }).description).toContain('Get Responses');
	});
});
