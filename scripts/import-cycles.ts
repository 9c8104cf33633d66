/**
 * Counts the capability pairs that import each other: two folders of src/ (src/common and
 * src/config aside, they are shared) where each imports a file of the other. An import of
 * an entity file (*.entity.ts) does not count: TypeORM relations name their entity both
 * ways.
 *
 *   npx ts-node --transpile-only scripts/import-cycles.ts [--verbose] [--with-shared] [--with-entities]
 *
 * Prints the number of pairs, then each pair with one import each way (with --verbose,
 * every import that makes the pair). --with-shared counts src/common and src/config as
 * capabilities; --with-entities counts entity imports too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(__dirname, '..', 'src');
const verbose = process.argv.includes('--verbose');
/** --with-shared: count src/common and src/config like any capability. */
const shared = new Set(process.argv.includes('--with-shared') ? [] : ['common', 'config']);
/** --with-entities: count imports of entity files too. */
const withEntities = process.argv.includes('--with-entities');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

function capabilityOf(path: string): string | undefined {
  const parts = relative(root, path).split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

const importPattern = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g;

/** from capability -> to capability -> the imports (file -> target) that make the edge */
const edges = new Map<string, Map<string, string[]>>();

for (const file of sourceFiles(root)) {
  const from = capabilityOf(file);
  if (!from || shared.has(from)) continue;
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(importPattern)) {
    const target = resolve(dirname(file), match[1] ?? '');
    const to = capabilityOf(target);
    if (!to || to === from || shared.has(to)) continue;
    if (!withEntities && target.endsWith('.entity')) continue;
    const byTarget = edges.get(from) ?? new Map<string, string[]>();
    edges.set(from, byTarget);
    const lines = byTarget.get(to) ?? [];
    lines.push(`${relative(root, file)} -> ${relative(root, target)}`);
    byTarget.set(to, lines);
  }
}

const pairs: Array<[string, string]> = [];
for (const [from, targets] of edges) {
  for (const to of targets.keys()) {
    if (from < to && edges.get(to)?.has(from)) pairs.push([from, to]);
  }
}
pairs.sort((a, b) => a.join('/').localeCompare(b.join('/')));

console.log(`capability pairs importing each other: ${pairs.length}`);
for (const [a, b] of pairs) {
  const there = edges.get(a)?.get(b) ?? [];
  const back = edges.get(b)?.get(a) ?? [];
  console.log(`  ${a} <-> ${b}`);
  for (const line of verbose ? [...there, ...back] : [there[0], back[0]])
    console.log(`      ${line}`);
}
