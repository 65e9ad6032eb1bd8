/**
 * Learnosity Sessions version 2 outputs sheet-ready rows by default; version 1 (every workflow saved before it)
 * keeps the raw records. Version 3 pages Return All 8 requests at a time by default; versions 1 and 2 keep one at a
 * time. Checked on what n8n resolves from the description (which Options a version shows, with
 * which default) and on real runs through n8n-core against the emulator.
 */
import { NodeHelpers, type INode, type INodeProperties } from 'n8n-workflow';
import { LearnositySessions } from '../../nodes/LearnositySessions/LearnositySessions.node';
import { LearnositySessionsTrigger } from '../../nodes/LearnositySessionsTrigger/LearnositySessionsTrigger.node';
import { useEmulator } from '../harness/emulatorFixture';
import { runSessionsNode } from '../harness/n8nWorkflow';

const { description } = new LearnositySessions();
const { emulator, credentials } = useEmulator(40);

function nodeAt(typeVersion: number, operation: string): INode {
	return {
		id: 'n',
		name: 'Learnosity Sessions',
		type: 'n8n-nodes-learnosity.learnositySessions',
		typeVersion,
		position: [0, 0],
		parameters: { resource: 'session', operation },
	};
}

/** An option of the Options collection n8n's editor shows for this version and operation. */
function optionShown(typeVersion: number, operation: string, name: string): INodeProperties | undefined {
	const node = nodeAt(typeVersion, operation);
	const shown = description.properties.filter(
		(property) =>
			property.name === 'options' && NodeHelpers.displayParameter(node.parameters, property, node, description),
	);
	expect(shown).toHaveLength(1);
	return (shown[0].options as INodeProperties[]).find((option) => option.name === name);
}

describe('node versions', () => {
	test('new nodes get version 3; versions 1 and 2 stay loadable for saved workflows', () => {
		expect(description.version).toEqual([1, 2, 3]);
		expect(description.defaultVersion).toBe(3);
	});

	test.each(['getScores', 'getResponses', 'getMetadata'])(
		'%s: Output Format defaults to Raw in version 1 and to Row from version 2',
		(operation) => {
			expect(optionShown(1, operation, 'outputFormat')?.default).toBe('raw');
			expect(optionShown(2, operation, 'outputFormat')?.default).toBe('row');
			expect(optionShown(3, operation, 'outputFormat')?.default).toBe('row');
		},
	);

	test.each(['getScores', 'getResponses', 'getMetadata', 'getStatuses'])(
		'%s: Parallel Requests defaults to 0 in versions 1 and 2 and to 8 from version 3',
		(operation) => {
			expect(optionShown(1, operation, 'parallelRequests')?.default).toBe(0);
			expect(optionShown(2, operation, 'parallelRequests')?.default).toBe(0);
			const shown = optionShown(3, operation, 'parallelRequests');
			expect(shown?.default).toBe(8);
			expect(shown?.description).toContain('nodes added before version 3 default to 0');
		},
	);

	test('without Parallel Requests set, version 2 pages Return All one at a time and version 3 eight at a time, with the same items', async () => {
		const parameters = { operation: 'getScores', returnAll: true, options: {} };
		const run = async (typeVersion: number, options = {}) => {
			emulator.log.length = 0;
			const result = await runSessionsNode({
				parameters: { ...parameters, options },
				credentials: credentials(),
				typeVersion,
			});
			expect(result.error).toBeUndefined();
			// The parallel export first asks for the oldest and the newest session, one record each, to cut the range.
			const probes = emulator.log.filter((entry) => entry.request?.limit === 1).length;
			return { ids: result.items.map((item) => item.json.session_id), requests: emulator.log.length, probes };
		};
		const v2 = await run(2);
		const v3 = await run(3);
		const v3OneAtATime = await run(3, { parallelRequests: 0 });
		expect(v2.ids).toEqual(emulator.store.matching({}).map((session) => session.session_id));
		expect(v3.ids).toEqual(v2.ids);
		expect(v3OneAtATime.ids).toEqual(v2.ids);
		expect(v2).toMatchObject({ requests: 2, probes: 0 });
		expect(v3.probes).toBe(2);
		expect(v3OneAtATime).toMatchObject({ requests: 2, probes: 0 });
	});

	test('without Output Format set, version 1 outputs the raw records and version 2 one flat row per session', async () => {
		const parameters = { operation: 'getScores', returnAll: true, options: {} };
		const v1 = await runSessionsNode({ parameters, credentials: credentials(), typeVersion: 1 });
		const v2 = await runSessionsNode({ parameters, credentials: credentials(), typeVersion: 2 });
		expect(v1.error).toBeUndefined();
		expect(v2.error).toBeUndefined();
		const sessionIds = emulator.store.matching({}).map((session) => session.session_id);
		expect(v1.items.map((item) => item.json.session_id)).toEqual(sessionIds);
		expect(v2.items.map((item) => item.json.session_id)).toEqual(sessionIds);
		// Raw scores nest subscores; rows are flat, with the same columns for every session.
		expect(v1.items.every((item) => Array.isArray(item.json.subscores))).toBe(true);
		const columns = JSON.stringify(Object.keys(v2.items[0].json));
		for (const item of v2.items) {
			expect(JSON.stringify(Object.keys(item.json))).toBe(columns);
			expect(Object.values(item.json).every((v) => typeof v === 'string' || typeof v === 'number')).toBe(true);
		}
	});

	test('an explicit Output Format wins in both versions', async () => {
		const raw = await runSessionsNode({
			parameters: { operation: 'getScores', limit: 3, options: { outputFormat: 'raw' } },
			credentials: credentials(),
			typeVersion: 2,
		});
		const row = await runSessionsNode({
			parameters: { operation: 'getScores', limit: 3, options: { outputFormat: 'row' } },
			credentials: credentials(),
			typeVersion: 1,
		});
		expect([raw.error, row.error]).toEqual([undefined, undefined]);
		expect([raw.items.length, row.items.length]).toEqual([3, 3]);
		expect(raw.items.every((item) => Array.isArray(item.json.subscores))).toBe(true);
		expect(row.items.every((item) => item.json.subscores === undefined)).toBe(true);
	});
});

describe("the nodes panel's sentence", () => {
	const trigger = new LearnositySessionsTrigger().description;

	test('each node has its own sentence', () => {
		expect(description.description).not.toBe(trigger.description);
		expect(description.description).toMatch(/^Get Learnosity/);
	});

	// n8n's editor merges a trigger named like a node plus "Trigger" into that node's entry and describes the entry
	// with the trigger's description (generateMergedNodesAndActions in the editor's node creator).
	test("the merged entry's sentence (the trigger's) says what both nodes do", () => {
		expect(trigger.name.replace('Trigger', '')).toBe(description.name);
		for (const word of ['start a workflow', 'scores', 'responses', 'metadata']) {
			expect(trigger.description).toContain(word);
		}
	});
});
