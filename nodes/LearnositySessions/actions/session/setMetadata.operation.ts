import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';
import type { WriteEntry } from '../../../jobs/sessionWrites';
import { LearnosityInputError } from '../../../transport/errors';
import { readUserId, userIdField, waitOptionsCollection } from './jobWrites.descriptions';
import { runJobWrite } from './jobWrites';

const MAX_TAG_LENGTH = 255;

export const description = updateDisplayOptions({ show: { resource: ['session'], operation: ['setMetadata'] } }, [
	{
		displayName:
			"This OVERWRITES each session's stored metadata: whatever it had is replaced by what you set here. To add one key, read the current metadata with Get Metadata first and merge.",
		name: 'setMetadataNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '={{ $json.session_id }}',
		required: true,
		description: 'The session whose metadata to replace; by default the session_id of each input item',
	},
	{ ...userIdField },
	{
		displayName: 'Session Tags',
		name: 'sessionTags',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Tag',
		default: {},
		description: 'Tags stored as metadata.session_tags, e.g. type "class", name "7B" (reports can filter on them)',
		options: [
			{
				displayName: 'Tag',
				name: 'tag',
				values: [
					{ displayName: 'Type', name: 'type', type: 'string', default: '', placeholder: 'class' },
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: '7B' },
				],
			},
		],
	},
	{
		displayName: 'Other Metadata (JSON)',
		name: 'metadataJson',
		type: 'json',
		default: '{}',
		description:
			'Any other keys to store, as a JSON object, e.g. {"term": "2026-T1"}. Tags listed above are added to a session_tags list given here.',
	},
	waitOptionsCollection,
]);

function readMetadata(value: unknown): Record<string, unknown> {
	let metadata: unknown = value ?? {};
	if (typeof metadata === 'string') {
		const text = metadata.trim() || '{}';
		metadata = undefined;
		try {
			metadata = JSON.parse(text);
		} catch {
			// Reported below, outside the catch.
		}
		if (metadata === undefined) {
			throw new LearnosityInputError(
				'Other Metadata (JSON)',
				'Other Metadata (JSON) is not valid JSON',
				'Write a JSON object such as {"term": "2026-T1"}, or {} for none.',
			);
		}
	}
	if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
		throw new LearnosityInputError(
			'Other Metadata (JSON)',
			`Other Metadata (JSON) must be an object, not ${Array.isArray(metadata) ? 'an array' : JSON.stringify(metadata)}`,
			'Write a JSON object such as {"term": "2026-T1"}: Learnosity stores metadata as named keys.',
		);
	}
	return { ...(metadata as Record<string, unknown>) };
}

function readTags(value: unknown, fromJson: unknown): Array<{ type: string; name: string }> {
	if (fromJson !== undefined && !Array.isArray(fromJson)) {
		throw new LearnosityInputError(
			'Other Metadata (JSON)',
			'session_tags in Other Metadata (JSON) must be a list of {"type", "name"} objects',
			'Write e.g. "session_tags": [{"type": "class", "name": "7B"}], or use the Session Tags field.',
		);
	}
	const listed = ((value as { tag?: unknown[] } | undefined)?.tag ?? []) as Array<{ type?: unknown; name?: unknown }>;
	const tags = [...((fromJson as unknown[]) ?? []), ...listed] as Array<{ type?: unknown; name?: unknown }>;
	return tags.map((tag, n) => {
		for (const part of ['type', 'name'] as const) {
			const text = tag?.[part];
			if (typeof text !== 'string' || !text.trim() || text.length > MAX_TAG_LENGTH) {
				throw new LearnosityInputError(
					'Session Tags',
					`Session tag ${n + 1} has ${typeof text === 'string' && text.trim() ? 'a' : 'no'} ${part}${typeof text === 'string' && text.length > MAX_TAG_LENGTH ? ` longer than ${MAX_TAG_LENGTH} characters` : ''}`,
					`Give every tag a type and a name of 1 to ${MAX_TAG_LENGTH} characters, e.g. type "class", name "7B".`,
				);
			}
		}
		return { ...tag, type: (tag.type as string).trim(), name: (tag.name as string).trim() };
	});
}

export const executeRun = runJobWrite({
	endpoint: 'jobs/sessions/metadata',
	action: 'set',
	listName: 'session_metadata',
	entriesOf(this: IExecuteFunctions, itemIndex): WriteEntry[] {
		const sessionId = String(this.getNodeParameter('sessionId', itemIndex, '') ?? '').trim();
		if (!sessionId) {
			throw new LearnosityInputError(
				'Session ID',
				`Session ID is empty for item ${itemIndex}`,
				'Map the session_id of the input item, e.g. {{ $json.session_id }}.',
			);
		}
		const metadata = readMetadata(this.getNodeParameter('metadataJson', itemIndex, '{}'));
		const tags = readTags(this.getNodeParameter('sessionTags', itemIndex, {}), metadata.session_tags);
		if (tags.length) metadata.session_tags = tags;
		const userId = readUserId(this, itemIndex, 1);
		return [{ itemIndex, session_id: sessionId, user_id: userId, fields: { metadata } }];
	},
});
