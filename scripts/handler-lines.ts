/**
 * How thick the page layer is, beside the API: lines per route handler of the page
 * controllers (`src/** /*.controller.ts` that render) and of the API controllers
 * (`*.api.controller.ts`), plus the hand-written flashes, the untyped query handlers and
 * the files over 500 lines.
 *
 *   npx ts-node --transpile-only scripts/handler-lines.ts [--files]
 *
 * "file lines / handler" counts the whole controller file (helpers moved into private
 * methods still count); "handler lines" counts each route method from its first decorator
 * to its closing brace.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');
const SRC = join(ROOT, 'src');
const ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Sse', 'Head']);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

interface ControllerFigures {
  file: string;
  lines: number;
  handlers: number;
  handlerLines: number;
}

function decoratorName(decorator: ts.Decorator): string | undefined {
  const expression = decorator.expression;
  if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression)) {
    return expression.expression.text;
  }
  return ts.isIdentifier(expression) ? expression.text : undefined;
}

function measure(path: string): ControllerFigures {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  let handlers = 0;
  let handlerLines = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isMethodDeclaration(node)) {
      const decorators = ts.getDecorators(node) ?? [];
      if (decorators.some((d) => ROUTE_DECORATORS.has(decoratorName(d) ?? ''))) {
        handlers += 1;
        handlerLines += lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file: relative(ROOT, path), lines: text.split('\n').length - 1, handlers, handlerLines };
}

function isPageController(path: string): boolean {
  if (!path.endsWith('.controller.ts') || path.endsWith('.api.controller.ts')) return false;
  return /@Render\(|\.render\(/.test(readFileSync(path, 'utf8'));
}

function summary(label: string, figures: ControllerFigures[]): void {
  const lines = figures.reduce((sum, f) => sum + f.lines, 0);
  const handlers = figures.reduce((sum, f) => sum + f.handlers, 0);
  const handlerLines = figures.reduce((sum, f) => sum + f.handlerLines, 0);
  console.log(
    `${label.padEnd(18)} ${String(figures.length).padStart(3)} controllers ` +
      `${String(handlers).padStart(4)} handlers ` +
      `${(lines / handlers).toFixed(1).padStart(6)} file lines/handler ` +
      `${(handlerLines / handlers).toFixed(1).padStart(6)} handler lines/handler`,
  );
}

const files = walk(SRC).filter((path) => path.endsWith('.ts'));
const pages = files.filter(isPageController).map(measure);
const apis = files.filter((path) => path.endsWith('.api.controller.ts')).map(measure);
const controllers = files.filter((path) => path.endsWith('.controller.ts'));

summary('page controllers', pages);
summary('api controllers', apis);

const flashes = controllers.reduce(
  (sum, path) => sum + (readFileSync(path, 'utf8').match(/req\.session\.flash\s*=/g) ?? []).length,
  0,
);
const untypedQueries = controllers.reduce(
  (sum, path) =>
    sum +
    (readFileSync(path, 'utf8').match(/@Query\(\)\s*\w+:\s*Record<string,\s*unknown>/g) ?? [])
      .length,
  0,
);
const pipes = controllers.filter((path) =>
  /new AppValidationPipe\(/.test(readFileSync(path, 'utf8')),
);
const big = files
  .filter((path) => !path.endsWith('.spec.ts'))
  .map((path) => ({
    path: relative(ROOT, path),
    lines: readFileSync(path, 'utf8').split('\n').length - 1,
  }))
  .filter((file) => file.lines > 500)
  .sort((a, b) => b.lines - a.lines);

console.log(`req.session.flash = in controllers: ${flashes}`);
console.log(`@Query() Record<string, unknown> handlers: ${untypedQueries}`);
console.log(`controllers with their own validation pipe: ${pipes.length}`);
console.log(`src files over 500 lines (specs excluded): ${big.length}`);
for (const file of big) console.log(`  ${String(file.lines).padStart(5)} ${file.path}`);

if (process.argv.includes('--files')) {
  for (const f of [...pages].sort((a, b) => b.lines - a.lines)) {
    console.log(
      `  ${String(f.lines).padStart(5)} lines ${String(f.handlers).padStart(3)} handlers ` +
        `${(f.lines / Math.max(f.handlers, 1)).toFixed(1).padStart(6)}/handler ${f.file}`,
    );
  }
}
