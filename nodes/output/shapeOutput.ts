import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { LearnosityInputError } from '../transport/errors';
import { alignColumns, responseRows, sessionRow, type RowKind } from './rows';

export type OutputFormat = 'raw' | 'row' | 'rowPerResponse';

/** The output of one input item, in the format that item asked for. */
export interface ItemOutput {
	items: INodeExecutionData[];
	format: OutputFormat;
}

export function checkOutputFormat(value: unknown, kind: RowKind, fallback: OutputFormat = 'raw'): OutputFormat {
	const format = value === undefined || value === '' ? fallback : value;
	if (format === 'raw' || format === 'row' || (format === 'rowPerResponse' && kind === 'responses')) return format;
	const allowed = kind === 'responses' ? 'raw, row or rowPerResponse' : 'raw or row';
	throw new LearnosityInputError(
		'Output Format',
		`Output Format "${String(value)}" is not available here`,
		`Use ${allowed}${format === 'rowPerResponse' ? ' (one row per response needs Get Responses)' : ''}.`,
	);
}

function rowsOf(kind: RowKind, format: OutputFormat, item: INodeExecutionData): INodeExecutionData[] {
	if (format === 'raw' || item.json.error !== undefined) return [item];
	const rows = format === 'row' ? [sessionRow(kind, item.json)] : responseRows(item.json);
	return rows.map((row) => ({ json: row as IDataObject, pairedItem: item.pairedItem }));
}

/**
 * Flattens the run's records into rows where asked, then gives all rows of one format the same columns, so that
 * every item of the run can be appended to the same sheet.
 */
export function shapeRun(kind: RowKind, outputs: ItemOutput[]): INodeExecutionData[] {
	const shaped = outputs.map(({ items, format }) => items.flatMap((item) => rowsOf(kind, format, item)));
	for (const format of ['row', 'rowPerResponse'] as const) {
		const group = shaped
			.filter((_, n) => outputs[n].format === format)
			.flat()
			.filter((item) => item.json.error === undefined);
		const aligned = alignColumns(group.map((item) => item.json as Record<string, string | number>));
		group.forEach((item, n) => (item.json = aligned[n] as IDataObject));
	}
	return shaped.flat();
}
