/**
 * Compiles the browser code (client/pages/<page>.ts, one entry per page that loads a
 * script) into public/js/<page>.js, served as /assets/js/<page>.js. The output is
 * generated, never committed: `npm run build` runs this, and so does jest before the
 * e2e and browser tests, so a clean clone needs no extra step.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..');
const PAGES = join(ROOT, 'client', 'pages');
const OUT = join(ROOT, 'public', 'js');

export async function buildClient(): Promise<void> {
  const entryPoints = readdirSync(PAGES)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
    .map((name) => join(PAGES, name));
  await build({
    entryPoints,
    outdir: OUT,
    bundle: true,
    // Classic `<script defer>` files: each page's bundle is an IIFE, no globals.
    format: 'iife',
    target: ['es2020'],
    // The browsers of the call centre get readable code; the files are small.
    minify: false,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/** jest's globalSetup for the projects whose pages load scripts. */
export default buildClient;

if (require.main === module) {
  buildClient().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
