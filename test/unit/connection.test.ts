import { connectionFromCredentials } from '../../nodes/transport/connection';
import { LearnosityInputError } from '../../nodes/transport/errors';

const valid = {
	consumerKey: 'key',
	consumerSecret: 'secret',
	domain: 'localhost',
	region: 'global',
	apiVersion: 'v2025.2.LTS',
};

function rejection(fields: Record<string, unknown>): LearnosityInputError {
	try {
		connectionFromCredentials(fields);
	} catch (error) {
		expect(error).toBeInstanceOf(LearnosityInputError);
		return error as LearnosityInputError;
	}
	throw new Error('expected the credential to be rejected');
}

describe('credential → connection', () => {
	test.each([
		['global', 'https://data.learnosity.com/v2025.2.LTS'],
		['va', 'https://data-va.learnosity.com/v2025.2.LTS'],
		['ie', 'https://data-ie.learnosity.com/v2025.2.LTS'],
		['au', 'https://data-au.learnosity.com/v2025.2.LTS'],
		['ca', 'https://data-ca.learnosity.com/v2025.2.LTS'],
	])('region %s calls %s', (region, url) => {
		expect(connectionFromCredentials({ ...valid, region }).versionUrl).toBe(url);
	});

	test('custom region uses the base URL, http allowed for a local emulator, trailing slash dropped', () => {
		const connection = connectionFromCredentials({ ...valid, region: 'custom', baseUrl: 'http://127.0.0.1:8080/' });
		expect(connection.versionUrl).toBe('http://127.0.0.1:8080/v2025.2.LTS');
	});

	test.each(['v2024.1.LTS', 'v2026.2.LTS', 'v2026.1.preview1', 'latest', 'latest-lts', 'developer'])(
		'accepts API version %s',
		(apiVersion) => {
			expect(connectionFromCredentials({ ...valid, apiVersion }).versionUrl).toMatch(new RegExp(`/${apiVersion}$`));
		},
	);

	test.each(['2025.2.LTS', 'v2025.2', 'v2025.2.lts', 'newest', '', 'v2025.2.LTS/sessions'])(
		'rejects API version "%s" naming the field',
		(apiVersion) => {
			const error = rejection({ ...valid, apiVersion });
			expect(error.field).toBe('API Version');
			expect(error.hint).toMatch(/v2025\.2\.LTS/);
		},
	);

	test.each([
		[{ consumerKey: '' }, 'Consumer Key'],
		[{ consumerKey: '   ' }, 'Consumer Key'],
		[{ consumerSecret: undefined }, 'Consumer Secret'],
		[{ domain: '' }, 'Domain'],
		[{ region: 'mars' }, 'Region'],
		[{ region: 'custom', baseUrl: '' }, 'Base URL'],
		[{ region: 'custom', baseUrl: 'not a url' }, 'Base URL'],
		[{ region: 'custom', baseUrl: 'ftp://example.org' }, 'Base URL'],
		[{ region: 'custom', baseUrl: 'http://data.learnosity.com' }, 'Base URL'],
	])('rejects %j naming %s', (change, field) => {
		const error = rejection({ ...valid, ...change });
		expect(error.field).toBe(field);
		expect(error.message).toContain(field);
		expect(error.hint.length).toBeGreaterThan(10);
		expect(`${error.message} ${error.hint}`).not.toContain('secret"');
	});

	test('a rejected credential never quotes the secret', () => {
		const consumerSecret = 'a-very-private-secret';
		const error = rejection({ ...valid, consumerSecret, apiVersion: 'bogus' });
		expect(`${error.message} ${error.hint}`).not.toContain(consumerSecret);
	});
});
