/** Median, lowest and highest of the per-round ratios ours ÷ peer. */
export interface RatioSpread {
	median: number;
	min: number;
	max: number;
}
export interface TemplateRow {
	case: string;
	/** Medians over the rounds, renders per CPU-second. */
	ours: number;
	liquidOps: number;
	handlebarsOps: number;
	liquidRatio: RatioSpread;
	handlebarsRatio: RatioSpread;
	/** Each round's renders per CPU-second. */
	rounds: { ours: number[]; liquidOps: number[]; handlebarsOps: number[] };
}
export function measureTemplates(): TemplateRow[];
