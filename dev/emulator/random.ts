/** A small seeded PRNG (mulberry32): the same seed gives the same demo data and the same injected faults. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function pick<T>(random: () => number, values: readonly T[]): T {
	return values[Math.floor(random() * values.length)];
}

export function between(random: () => number, min: number, max: number): number {
	return min + Math.floor(random() * (max - min + 1));
}

/** A UUID-shaped id drawn from the seeded generator. */
export function seededUuid(random: () => number): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
