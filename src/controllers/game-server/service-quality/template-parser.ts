// Lexer and parser for the Go text/template subset OKG's service-quality
// actions use (pkg/util/template.go): text, {{.Result}}, literals,
// {{if}}/{{else if}}/{{else}}/{{end}}, calls of eq ne lt le gt ge and or not,
// parenthesised calls, {{- -}} trim markers and {{/* comments */}}. Anything
// else (pipes, variables, range, with, other functions) is a TemplateError,
// which OKG turns into "keep the raw string" as Go's parser or executor would.

export class TemplateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

export type Value = string | number | boolean;

export type Expr =
  | { kind: 'field'; name: string }
  | { kind: 'literal'; value: Value }
  | { kind: 'call'; fn: string; args: Expr[] };

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'print'; expr: Expr }
  | { kind: 'if'; branches: { cond: Expr; body: TemplateNode[] }[]; otherwise: TemplateNode[] };

type Token =
  | { kind: 'ident'; text: string }
  | { kind: 'field'; name: string }
  | { kind: 'literal'; value: Value }
  | { kind: 'lparen' | 'rparen' };

type Item = { kind: 'text'; text: string } | { kind: 'action'; tokens: Token[] };

export const FUNCTIONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'not']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

export function lex(source: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    let text = source.slice(pos, open < 0 ? source.length : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    if (open < 0) {
      if (text) items.push({ kind: 'text', text });
      break;
    }
    let cursor = open + 2;
    if (source[cursor] === '-' && isSpace(source[cursor + 1])) {
      text = text.replace(/[ \t\r\n]+$/, '');
      cursor += 2;
    }
    if (text) items.push({ kind: 'text', text });
    const action = lexAction(source, cursor);
    trimNext = action.trimRight;
    pos = action.end;
    if (action.tokens !== undefined) items.push({ kind: 'action', tokens: action.tokens });
  }
  return items;
}

function lexAction(source: string, start: number): { tokens: Token[] | undefined; end: number; trimRight: boolean } {
  let pos = start;
  while (isSpace(source[pos])) pos++;
  if (source.startsWith('/*', pos)) {
    const close = source.indexOf('*/', pos + 2);
    if (close < 0) throw new TemplateError('unclosed comment');
    return closeAction(source, close + 2, undefined, true);
  }
  const tokens: Token[] = [];
  for (;;) {
    while (isSpace(source[pos])) pos++;
    if (pos >= source.length) throw new TemplateError('unclosed action');
    if (source.startsWith('}}', pos) || (source[pos] === '-' && source.startsWith('}}', pos + 1) && isSpace(source[pos - 1]))) {
      return closeAction(source, pos, tokens, false);
    }
    const rest = source.slice(pos);
    const ch = source[pos] as string;
    if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'lparen' : 'rparen' });
      pos++;
    } else if (ch === '"') {
      const [value, end] = readQuoted(source, pos);
      tokens.push({ kind: 'literal', value });
      pos = end;
    } else if (ch === '`') {
      const close = source.indexOf('`', pos + 1);
      if (close < 0) throw new TemplateError('unterminated raw string');
      tokens.push({ kind: 'literal', value: source.slice(pos + 1, close) });
      pos = close + 1;
    } else if (ch === '.') {
      const name = IDENT.exec(rest.slice(1))?.[0];
      if (name === undefined) throw new TemplateError('"." alone is not supported; use .Result');
      tokens.push({ kind: 'field', name });
      pos += 1 + name.length;
    } else if (NUMBER.test(rest)) {
      const text = (NUMBER.exec(rest) as RegExpExecArray)[0];
      tokens.push({ kind: 'literal', value: Number(text) });
      pos += text.length;
    } else if (IDENT.test(rest)) {
      const text = (IDENT.exec(rest) as RegExpExecArray)[0];
      tokens.push(text === 'true' || text === 'false' ? { kind: 'literal', value: text === 'true' } : { kind: 'ident', text });
      pos += text.length;
    } else {
      throw new TemplateError(`unsupported ${JSON.stringify(ch)} in action (pipes and variables are not supported)`);
    }
  }
}

function closeAction(source: string, pos: number, tokens: Token[] | undefined, comment: boolean) {
  let cursor = pos;
  if (comment) while (isSpace(source[cursor])) cursor++;
  let trimRight = false;
  if (source[cursor] === '-' && source.startsWith('}}', cursor + 1)) {
    trimRight = true;
    cursor++;
  }
  if (!source.startsWith('}}', cursor)) throw new TemplateError(comment ? 'comment ends before "}}"' : 'unclosed action');
  return { tokens, end: cursor + 2, trimRight };
}

function readQuoted(source: string, start: number): [string, number] {
  let out = '';
  let pos = start + 1;
  while (pos < source.length) {
    const ch = source[pos] as string;
    if (ch === '"') return [out, pos + 1];
    if (ch === '\n') break;
    if (ch === '\\') {
      const next = source[pos + 1] ?? '';
      const mapped = ESCAPES[next];
      if (mapped === undefined) throw new TemplateError(`unsupported escape \\${next}`);
      out += mapped;
      pos += 2;
    } else {
      out += ch;
      pos++;
    }
  }
  throw new TemplateError('unterminated quoted string');
}

/** Parses a template into nodes; throws TemplateError. */
export function parse(source: string): TemplateNode[] {
  const items = lex(source);
  let index = 0;

  function parseList(inIf: boolean): { nodes: TemplateNode[]; stop: 'end' | 'else' | 'elseif' | 'eof'; cond?: Expr } {
    const nodes: TemplateNode[] = [];
    while (index < items.length) {
      const item = items[index++] as Item;
      if (item.kind === 'text') {
        nodes.push(item);
        continue;
      }
      const [head, ...rest] = item.tokens;
      if (head === undefined) throw new TemplateError('missing value for command');
      if (head.kind === 'ident' && head.text === 'if') {
        nodes.push(parseIf(parseCommand(rest)));
      } else if (head.kind === 'ident' && (head.text === 'end' || head.text === 'else')) {
        if (!inIf) throw new TemplateError(`unexpected {{${head.text}}}`);
        if (head.text === 'end') {
          if (rest.length > 0) throw new TemplateError('unexpected tokens after end');
          return { nodes, stop: 'end' };
        }
        if (rest.length === 0) return { nodes, stop: 'else' };
        const [second, ...condTokens] = rest;
        if (second?.kind !== 'ident' || second.text !== 'if') throw new TemplateError('only {{else if ...}} is supported after else');
        return { nodes, stop: 'elseif', cond: parseCommand(condTokens) };
      } else {
        nodes.push({ kind: 'print', expr: parseCommand(item.tokens) });
      }
    }
    if (inIf) throw new TemplateError('unexpected EOF: missing {{end}}');
    return { nodes, stop: 'eof' };
  }

  function parseIf(firstCond: Expr): TemplateNode {
    const branches: { cond: Expr; body: TemplateNode[] }[] = [];
    let cond = firstCond;
    for (;;) {
      const part = parseList(true);
      branches.push({ cond, body: part.nodes });
      if (part.stop === 'end') return { kind: 'if', branches, otherwise: [] };
      if (part.stop === 'else') {
        const tail = parseList(true);
        if (tail.stop !== 'end') throw new TemplateError('expected {{end}} after {{else}}');
        return { kind: 'if', branches, otherwise: tail.nodes };
      }
      cond = part.cond as Expr;
    }
  }

  return parseList(false).nodes;
}

/** One command: a single operand, or a function followed by its arguments. */
function parseCommand(tokens: readonly Token[]): Expr {
  const [expr, next] = parseOperands(tokens, 0);
  if (next !== tokens.length) throw new TemplateError('unexpected ")"');
  return expr;
}

function parseOperands(tokens: readonly Token[], start: number): [Expr, number] {
  const operands: Expr[] = [];
  let pos = start;
  while (pos < tokens.length && tokens[pos]?.kind !== 'rparen') {
    const token = tokens[pos] as Token;
    if (token.kind === 'lparen') {
      const [inner, end] = parseOperands(tokens, pos + 1);
      if (tokens[end]?.kind !== 'rparen') throw new TemplateError('unclosed "("');
      operands.push(inner);
      pos = end + 1;
    } else if (token.kind === 'ident') {
      if (!FUNCTIONS.has(token.text)) throw new TemplateError(`function ${JSON.stringify(token.text)} not defined`);
      if (pos !== start) throw new TemplateError(`function ${token.text} used as an argument needs parentheses`);
      operands.push({ kind: 'call', fn: token.text, args: [] });
      pos++;
    } else if (token.kind === 'field') {
      operands.push({ kind: 'field', name: token.name });
      pos++;
    } else if (token.kind === 'literal') {
      operands.push({ kind: 'literal', value: token.value });
      pos++;
    } else {
      break;
    }
  }
  const [first, ...args] = operands;
  if (first === undefined) throw new TemplateError('missing value for command');
  if (first.kind === 'call' && first.args.length === 0 && tokens[start]?.kind === 'ident') return [{ ...first, args }, pos];
  if (args.length > 0) throw new TemplateError("can't give argument to non-function");
  return [first, pos];
}
