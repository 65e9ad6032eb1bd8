/** A session as the emulator stores it; the endpoints project parts of it. */
export interface StoredResponse {
	response_id: string;
	question_type: string;
	item_reference: string;
	automarkable: boolean;
	score: number | null;
	max_score: number;
	time: number;
	dt_score_updated: string;
	response: Record<string, unknown> | null;
}

export interface StoredSubscore {
	id: string;
	title: string;
	num_questions: number;
	num_attempted: number;
	score: number;
	max_score: number;
	attempted_max_score: number;
	items: string[];
}

export interface StoredSession {
	session_id: string;
	user_id: string;
	activity_id: string;
	status: 'Incomplete' | 'Completed' | 'Discarded' | 'Pending Scoring';
	dt_started: string;
	dt_completed: string | null;
	responses: StoredResponse[];
	subscoreGroups: Array<{ id: string; title: string; itemReferences: string[] }>;
	/** Stored session metadata (SET /jobs/sessions/metadata), e.g. session_tags. */
	sessionMetadata: Record<string, unknown>;
	/** What the Items API recorded about the session. */
	itemsApiMetadata: Record<string, unknown>;
	/** Updated time, in milliseconds: the key of the sessions endpoints' paging order. */
	updatedMs: number;
	/**
	 * The learner's last save, when a test makes it older than the updated time (a change that is not a learner's
	 * save, which the API may not reflect in `dt_saved`); otherwise `dt_saved` is the updated time.
	 */
	savedMs?: number;
	/** Tie-breaker within one millisecond; grows with every write. */
	sequence: number;
}
