import { runTempFolder } from './harness/runFolder';

// n8n-core keeps its instance settings in a user folder: give each test file its own instead of ~/.n8n, inside the
// run's temporary folder, which the global teardown removes.
process.env.N8N_USER_FOLDER ??= runTempFolder('n8n-');
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
