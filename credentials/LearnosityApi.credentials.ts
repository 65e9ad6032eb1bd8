import type { IAuthenticate, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { signDataApiRequest } from '../nodes/transport/signHttpRequest';

export class LearnosityApi implements ICredentialType {
	name = 'learnosityApi';

	displayName = 'Learnosity API';

	icon: Icon = { light: 'file:../icons/learnosity.svg', dark: 'file:../icons/learnosity.dark.svg' };

	documentationUrl = 'https://help.learnosity.com/hc/en-us/articles/360000758817-Getting-Started-with-the-Data-API';

	/**
	 * Signs requests of n8n's HTTP Request node ("Predefined Credential Type" → Learnosity API): body fields `action`
	 * and `request` become the signed Data API form. This package's nodes sign their own requests.
	 */
	authenticate: IAuthenticate = signDataApiRequest;

	properties: INodeProperties[] = [
		{
			displayName: 'Consumer Key',
			name: 'consumerKey',
			type: 'string',
			default: '',
			required: true,
			description: 'The consumer key Learnosity issued for your organisation',
		},
		{
			displayName: 'Consumer Secret',
			name: 'consumerSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret that belongs to the consumer key. It signs every request and is never sent.',
		},
		{
			displayName: 'Domain',
			name: 'domain',
			type: 'string',
			default: 'localhost',
			required: true,
			description:
				'A domain allowlisted for this consumer key. Server-side integrations usually use "localhost"; Learnosity rejects requests from a domain that is not on the list (error 41005).',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			default: 'global',
			description: 'Where your Learnosity consumer lives. Calling your own region is faster.',
			options: [
				{ name: 'Global (data.learnosity.com)', value: 'global' },
				{ name: 'United States (data-va.learnosity.com)', value: 'va' },
				{ name: 'Europe (data-ie.learnosity.com)', value: 'ie' },
				{ name: 'Australia (data-au.learnosity.com)', value: 'au' },
				{ name: 'Canada (data-ca.learnosity.com)', value: 'ca' },
				{ name: 'Custom Base URL', value: 'custom' },
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://proxy.example.org',
			description:
				'The Data API base URL without the version, e.g. a proxy or a local emulator (http is allowed here, except for learnosity.com hosts)',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: 'v2025.2.LTS',
			description:
				'A Data API version: an LTS release such as v2025.2.LTS, a preview such as v2026.1.preview1, or latest, latest-lts or developer (rolling, for development only)',
		},
	];
}
