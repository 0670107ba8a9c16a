/** Expressions; `at` is the offset in the template source, for error positions. */
export type Expr =
	| { kind: 'literal'; value: string | number | boolean | null; at: number }
	| { kind: 'name'; name: string; at: number }
	| { kind: 'member'; object: Expr; name: string; at: number }
	| { kind: 'index'; object: Expr; index: Expr; at: number }
	| { kind: 'call'; name: string; args: Expr[]; at: number }
	| { kind: 'unary'; op: '-' | 'not'; operand: Expr; at: number }
	| { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; at: number };

export type BinaryOp = '+' | '-' | '*' | '/' | '&' | '=' | '!=' | '<' | '>' | '<=' | '>=' | 'and' | 'or';

export type Node =
	| { kind: 'text'; text: string; at: number }
	| { kind: 'output'; expr: Expr; at: number }
	| { kind: 'if'; branches: Array<{ condition: Expr; body: Node[] }>; otherwise: Node[] }
	| { kind: 'for'; variable: string; list: Expr; body: Node[]; at: number }
	| { kind: 'set'; name: string; expr: Expr; at: number };
