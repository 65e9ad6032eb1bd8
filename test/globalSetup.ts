import { createRunFolder } from './harness/runFolder';

export default function globalSetup(): void {
	createRunFolder();
}
