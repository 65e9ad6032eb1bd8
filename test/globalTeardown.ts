import { removeRunFolder } from './harness/runFolder';

export default function globalTeardown(): void {
	removeRunFolder();
}
