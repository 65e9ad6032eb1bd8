/** Sent in X-Learnosity-SDK; a test keeps it equal to package.json's version. */
export const PACKAGE_VERSION = '0.1.0';
export const SDK_HEADER = `n8n-nodes-learnosity:${PACKAGE_VERSION}`;
