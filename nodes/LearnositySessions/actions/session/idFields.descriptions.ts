import type { INodeProperties } from 'n8n-workflow';

/** A text field for a list of IDs, shared by the Sessions node and its trigger. */
export const idListField = (displayName: string, name: string, what: string, placeholder: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	typeOptions: { rows: 2 },
	default: '',
	placeholder,
	description: `Only sessions of these ${what}: separate IDs with commas, spaces or new lines, or use an expression that returns an array. More than 1000 are sent in batches.`,
});

export const activityIdsField = idListField('Activity IDs', 'activityIds', 'activities', 'quiz-1, quiz-2');
export const userIdsField = idListField('User IDs', 'userIds', 'learners (user IDs)', 'student-1, student-2');
