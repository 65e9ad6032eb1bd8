import vectors from '../fixtures/signature-vectors.json';
import { learnosityTimestamp, securityField, signature } from '../../nodes/transport/signer';

interface Vector {
	consumer_key: string;
	domain: string;
	timestamp: string;
	expires?: string;
	user_id?: string;
	request_json: string;
	action: string;
	signature: string;
	expected_security_field?: string;
	source?: string;
}

const all = vectors.vectors as Vector[];

describe('signer', () => {
	test('the fixture holds the SDK vectors', () => {
		expect(all).toHaveLength(8);
	});

	test.each(all.map((v, n) => [`#${n} ${v.action} ${v.source ?? ''}`, v] as const))(
		'reproduces %s',
		(_name, vector) => {
			const input = {
				consumerKey: vector.consumer_key,
				domain: vector.domain,
				timestamp: vector.timestamp,
				expires: vector.expires,
				userId: vector.user_id,
				requestJson: vector.request_json,
				action: vector.action,
			};
			expect(signature(input, vectors.secret)).toBe(vector.signature);
		},
	);

	test('builds the security field byte for byte like the SDK', () => {
		const vector = all.find((v) => v.expected_security_field)!;
		const identity = { consumerKey: vector.consumer_key, consumerSecret: vectors.secret, domain: vector.domain };
		const at = new Date(Date.UTC(2014, 5, 26, 5, 28, 41));
		expect(securityField(identity, vector.request_json, vector.action, at)).toBe(vector.expected_security_field);
	});

	test('formats the timestamp as UTC YYYYMMDD-HHMM', () => {
		expect(learnosityTimestamp(new Date(Date.UTC(2026, 0, 1, 9, 30, 59)))).toBe('20260101-0930');
		expect(learnosityTimestamp(new Date(Date.UTC(2026, 11, 31, 23, 5)))).toBe('20261231-2305');
	});

	test('signs each call with its own time and leaves the identity untouched', () => {
		const identity = Object.freeze({ consumerKey: 'k', consumerSecret: 's', domain: 'localhost' });
		const first = JSON.parse(securityField(identity, '{}', 'get', new Date(Date.UTC(2026, 0, 1, 0, 0))));
		const later = JSON.parse(securityField(identity, '{}', 'get', new Date(Date.UTC(2026, 0, 1, 0, 7))));
		expect(first.timestamp).toBe('20260101-0000');
		expect(later.timestamp).toBe('20260101-0007');
		expect(first.signature).not.toBe(later.signature);
		expect(identity).toEqual({ consumerKey: 'k', consumerSecret: 's', domain: 'localhost' });
		expect(JSON.stringify(first)).not.toContain('"s"');
	});
});
