/** A time as Learnosity writes it in records: ISO 8601 in UTC, whole seconds (`2026-05-01T09:30:00Z`). */
export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
