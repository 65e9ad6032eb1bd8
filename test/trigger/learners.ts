import type { StoredSession } from '../../dev/emulator/model';
import { between, pick, seededRandom } from '../../dev/emulator/random';
import type { LearnosityEmulator } from '../../dev/emulator/server';
import { iso } from '../../dev/emulator/isoTime';

/** What learners and teachers do to the emulator's sessions, on a virtual clock, with a record of every completion. */
export class Classroom {
	nowMs: number;
	readonly completions: Array<{ sessionId: string; atMs: number }> = [];
	readonly saves: Array<{ sessionId: string; atMs: number }> = [];
	private readonly random: () => number;
	private created = 0;

	constructor(
		private readonly emulator: LearnosityEmulator,
		seed: number,
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
			session_id: `live-${++this.created}`,
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
		this.completions.push({ sessionId: session.session_id, atMs: this.nowMs });
	}

	rescore(): void {
		const session = this.pickWith('Completed');
		if (!session) return;
		const [first, ...rest] = session.responses;
		this.save(session, { responses: [{ ...first, score: first.score === 0 ? first.max_score : 0 }, ...rest] });
	}

	/** A random mix of activity within the current second. */
	act(actions: number): void {
		for (let n = 0; n < actions; n++) {
			const roll = this.random();
			if (roll < 0.3) this.start();
			else if (roll < 0.5) this.saveProgress();
			else if (roll < 0.8) this.complete();
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
