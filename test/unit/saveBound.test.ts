import { SaveBound } from '../../nodes/export/clock';

const at = (second: number) => ({ session_id: `s${second}`, dt_saved: new Date(second * 1000).toISOString() });
const page = (serverTime: number | undefined, ...seconds: number[]) => ({ data: seconds.map(at), serverTime });

describe('SaveBound: when an oldest-first Return All may stop while learners save', () => {
	test('nobody saving after the start: never stops (the empty page ends the walk)', () => {
		const bound = new SaveBound();
		expect(bound.reached(page(1000, 1, 2, 3))).toBe(false);
		expect(bound.reached(page(1005, 500, 999, 1000))).toBe(false);
		expect(bound.reached(page(1010, 1000))).toBe(false);
	});

	test('stops after the first page holding a record saved after B, the clock where saves were first met', () => {
		const bound = new SaveBound();
		expect(bound.reached(page(1000, 1, 2))).toBe(false); // T0 = 1000
		expect(bound.reached(page(1020, 900, 1003, 1019))).toBe(false); // first save after T0: B = 1020
		expect(bound.reached(page(1021, 1019, 1020))).toBe(false); // saved up to B: keep reading
		expect(bound.reached(page(1022, 1020, 1021))).toBe(true); // saved after B: this page is the last
	});

	test('the page that sets B never ends the walk, even when its records look later than its clock', () => {
		const bound = new SaveBound(1000);
		expect(bound.reached(page(1001, 1005))).toBe(false);
		expect(bound.reached(page(1002, 1006))).toBe(true);
	});

	test('records without a time never stop it; without a server clock, this machine stands in', () => {
		const bound = new SaveBound();
		expect(bound.reached({ data: [{ session_id: 'a' }], serverTime: 1 })).toBe(false);
		const local = new SaveBound();
		const now = Math.floor(Date.now() / 1000);
		expect(local.reached(page(undefined, now - 100))).toBe(false);
		expect(local.reached(page(undefined, now + 3600))).toBe(false);
		expect(local.reached(page(undefined, now + 7200))).toBe(true);
	});
});
