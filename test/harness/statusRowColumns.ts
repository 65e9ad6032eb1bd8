/** The columns of Get Statuses with Output Format Row, in order: what a sheet fed by it gets (the public contract). */
export const STATUS_ROW_COLUMNS = [
	'session_id',
	'user_id',
	'activity_id',
	'status',
	'dt_started',
	'dt_completed',
	'num_attempted',
	'num_questions',
	'session_duration_minutes',
	'dt_saved',
];
