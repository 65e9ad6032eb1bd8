import { seededRandom } from '../../dev/emulator/random';
import type { LearnosityEmulator } from '../../dev/emulator/server';

/**
 * Before each of the first `requests` requests, learners save `perRequest` sessions: each save moves the session to
 * "now" in the paging order and changes its score. Returns how many saves happened so far.
 */
export function learnersSave(emulator: LearnosityEmulator, perRequest: number, requests: number, seed: number) {
	const random = seededRandom(seed);
	let saves = 0;
	let clock = Date.now();
	emulator.onRequest = (requestNumber) => {
		if (requestNumber > requests) return;
		const sessions = emulator.store.all();
		for (let n = 0; n < perRequest; n++) {
			const session = sessions[Math.floor(random() * sessions.length)];
			const [first, ...rest] = session.responses;
			const rescored = { ...first, score: first.score === first.max_score ? 0 : first.max_score };
			emulator.store.put({ ...session, responses: [rescored, ...rest] }, (clock += 1000));
			saves++;
		}
	};
	return () => saves;
}
