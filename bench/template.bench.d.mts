export interface TemplateRow {
	case: string;
	ours: number;
	liquidOps: number;
	handlebarsOps: number;
}
export function measureTemplates(): TemplateRow[];
