import { seededRandom } from '../../dev/emulator/random';
import type { LearnosityEmulator } from '../../dev/emulator/server';

/**
 * Before each of the first `requests` requests, learners save `perRequest` sessions: each save moves the session to
 * "now" in the paging order and changes its score. Returns how many saves happened so far.
 *
 * Saves are stamped with the emulator's own data clock (the one `meta.timestamp` reports), which each save moves a
 * second ahead: a save is never later than the answer that follows it, as with the real API, and time passes between
 * requests even on a fast machine, so that exports bounded by the API's clock are tested as they run in real life.
 */
export function learnersSave(emulator: LearnosityEmulator, perRequest: number, requests: number, seed: number) {
	const random = seededRandom(seed);
	let saves = 0;
	const clockBefore = emulator.dataClock;
	let ahead = 0;
	emulator.dataClock = () => clockBefore() + ahead;
	emulator.onRequest = (requestNumber) => {
		if (requestNumber > requests) return;
		const sessions = emulator.store.all();
		for (let n = 0; n < perRequest; n++) {
			const session = sessions[Math.floor(random() * sessions.length)];
			const [first, ...rest] = session.responses;
			const rescored = { ...first, score: first.score === first.max_score ? 0 : first.max_score };
			ahead += 1000;
			emulator.store.put({ ...session, responses: [rescored, ...rest] }, emulator.dataClock());
			saves++;
		}
	};
	return () => saves;
}
