import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** How long booting may take (compiling the sources on the fly included). */
const BOOT_MS = 90_000;

export interface AppProcess {
  child: ChildProcess;
  baseUrl: string;
  /** What the process has written so far (stdout and stderr). */
  output(): string;
}

/** A port nobody listens on now (the OS picks it; the app binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The app as `npm start` runs it (src/main.ts), in a separate Node process on this worker's
 * database (or the one `env` names), its scheduled jobs on their timers; resolves once GET
 * /health answers 200. A clean clone has no dist/, so ts-node compiles the sources as they
 * load, without type checking (as the tests do).
 */
export async function startAppProcess(env: NodeJS.ProcessEnv = {}): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + BOOT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the app process ended while booting:\n${output}`);
    }
    const ready = await fetch(`${baseUrl}/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return { child, baseUrl, output: () => output };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app process did not answer on ${baseUrl} in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Ends the process with SIGKILL (no shutdown hooks, nothing flushed) and waits for it. */
export async function killAppProcess(app: AppProcess): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  const ended = new Promise((resolve) => app.child.once('exit', resolve));
  app.child.kill('SIGKILL');
  await ended;
}
