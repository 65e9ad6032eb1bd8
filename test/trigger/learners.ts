import type { StoredSession } from '../../dev/emulator/model';
import { between, pick, seededRandom } from '../../dev/emulator/random';
import type { LearnosityEmulator } from '../../dev/emulator/server';
import { iso } from '../../dev/emulator/isoTime';

/**
 * What learners and teachers do to the emulator's sessions, on a virtual clock, with a record of every session that
 * became Completed: submitted (`kind: 'submitted'`) or graded after waiting in Pending Scoring (`kind: 'graded'`).
 */
export class Classroom {
	nowMs: number;
	readonly completions: Array<{ sessionId: string; atMs: number; kind: 'submitted' | 'graded' }> = [];
	readonly saves: Array<{ sessionId: string; atMs: number }> = [];
	/** Sessions submitted for manual scoring, and when. */
	readonly submittedForScoring: Array<{ sessionId: string; atMs: number }> = [];
	readonly rescores: Array<{ sessionId: string; atMs: number }> = [];
	/** The probability of each kind of action in `act` (the rest: re-scores). */
	mix = { start: 0.3, saveProgress: 0.2, complete: 0.3, submitForScoring: 0, grade: 0 };
	private readonly random: () => number;
	private created = 0;

	constructor(
		private readonly emulator: LearnosityEmulator,
		private readonly seed: number,
	) {
		this.random = seededRandom(seed);
		this.nowMs = Math.max(...emulator.store.all().map((s) => s.updatedMs)) + 3600_000;
		emulator.dataClock = () => this.nowMs;
	}

	advance(seconds: number): void {
		this.nowMs += seconds * 1000;
	}

	private save(session: StoredSession, change: Partial<StoredSession> = {}): void {
		this.emulator.store.put({ ...session, ...change }, this.nowMs);
		this.saves.push({ sessionId: session.session_id, atMs: this.nowMs });
	}

	start(): void {
		const template = pick(this.random, this.emulator.store.all());
		this.save({
			...template,
			// Unique across the classrooms of one emulator: a reused ID would be a second session under the same name.
			session_id: `live-${this.seed}-${++this.created}`,
			status: 'Incomplete',
			dt_started: iso(this.nowMs),
			dt_completed: null,
		});
	}

	private pickWith(status: StoredSession['status']): StoredSession | undefined {
		const candidates = this.emulator.store.all().filter((s) => s.status === status);
		return candidates.length ? pick(this.random, candidates) : undefined;
	}

	saveProgress(): void {
		const session = this.pickWith('Incomplete');
		if (session) this.save(session);
	}

	complete(): void {
		const session = this.pickWith('Incomplete');
		if (!session) return;
		this.save(session, { status: 'Completed', dt_completed: iso(this.nowMs) });
		this.completions.push({ sessionId: session.session_id, atMs: this.nowMs, kind: 'submitted' });
	}

	/** A learner submits a session with answers a teacher must score: it waits in Pending Scoring. */
	submitForScoring(): void {
		const session = this.pickWith('Incomplete');
		if (!session) return;
		this.emulator.store.submitForScoring(session.session_id, this.nowMs);
		this.saves.push({ sessionId: session.session_id, atMs: this.nowMs });
		this.submittedForScoring.push({ sessionId: session.session_id, atMs: this.nowMs });
	}

	/** A teacher grades one session waiting in Pending Scoring (`sessionId`, or any): it becomes Completed. */
	grade(sessionId?: string): void {
		const session = sessionId ? this.emulator.store.get(sessionId) : this.pickWith('Pending Scoring');
		if (!session) return;
		this.emulator.store.grade(session.session_id, this.nowMs, (max) => between(this.random, 0, max));
		this.saves.push({ sessionId: session.session_id, atMs: this.nowMs });
		this.completions.push({ sessionId: session.session_id, atMs: this.nowMs, kind: 'graded' });
	}

	rescore(): void {
		const session = this.pickWith('Completed');
		if (!session) return;
		const [first, ...rest] = session.responses;
		this.save(session, { responses: [{ ...first, score: first.score === 0 ? first.max_score : 0 }, ...rest] });
		this.rescores.push({ sessionId: session.session_id, atMs: this.nowMs });
	}

	/** A random mix of activity within the current second. */
	act(actions: number): void {
		for (let n = 0; n < actions; n++) {
			let roll = this.random();
			if ((roll -= this.mix.start) < 0) this.start();
			else if ((roll -= this.mix.saveProgress) < 0) this.saveProgress();
			else if ((roll -= this.mix.complete) < 0) this.complete();
			else if ((roll -= this.mix.submitForScoring) < 0) this.submitForScoring();
			else if ((roll -= this.mix.grade) < 0) this.grade();
			else this.rescore();
		}
	}

	/** Many completions in one second, enough to straddle a page boundary. */
	burstOfCompletions(count: number): void {
		for (let n = 0; n < count; n++) this.start();
		for (let n = 0; n < count; n++) this.complete();
	}

	randomPause(): number {
		return between(this.random, 5, 90);
	}
}
