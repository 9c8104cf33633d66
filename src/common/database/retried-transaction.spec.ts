import type { DataSource, EntityManager } from 'typeorm';
import { BusyError } from '../errors/domain-errors';
import { toErrorResponse } from '../errors/error-response';
import { onTransactionConflict, retriedTransaction } from './retried-transaction';

/** A data source whose transactions lose a deadlock `losses` times, then commit. */
function losing(losses: number) {
  let tries = 0;
  const dataSource = {
    options: { type: 'mysql' },
    transaction: async (...args: unknown[]) => {
      const work = args[args.length - 1] as (em: EntityManager) => Promise<unknown>;
      tries += 1;
      if (tries <= losses)
        throw Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' });
      return work({} as EntityManager);
    },
  } as unknown as DataSource;
  return { dataSource, tries: () => tries };
}

describe('retriedTransaction', () => {
  it('tries again after a lost conflict, past the old five tries while the budget lasts', async () => {
    const { dataSource, tries } = losing(7);
    const seen: boolean[] = [];
    const stop = onTransactionConflict((c) => seen.push(c.retried));
    try {
      await expect(
        retriedTransaction(dataSource, () => Promise.resolve('done'), { pauseMs: 1 }),
      ).resolves.toBe('done');
    } finally {
      stop();
    }
    expect(tries()).toBe(8);
    expect(seen).toEqual([true, true, true, true, true, true, true]);
  });

  it('gives up when the time budget is spent: a 503 with Retry-After, never the driver error', async () => {
    const { dataSource, tries } = losing(Number.POSITIVE_INFINITY);
    const started = Date.now();
    const error: unknown = await retriedTransaction(dataSource, () => Promise.resolve(), {
      pauseMs: 10,
      budgetMs: 200,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusyError);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(tries()).toBeGreaterThan(2);
    expect(toErrorResponse(error)).toMatchObject({ statusCode: 503, retryAfterSeconds: 1 });
  });

  it('stops at the most tries it is given', async () => {
    const { dataSource, tries } = losing(Number.POSITIVE_INFINITY);
    await expect(
      retriedTransaction(dataSource, () => Promise.resolve(), { attempts: 3, pauseMs: 1 }),
    ).rejects.toBeInstanceOf(BusyError);
    expect(tries()).toBe(3);
  });

  it('lets any other error through at once', async () => {
    let tries = 0;
    const dataSource = {
      options: { type: 'mysql' },
      transaction: () => {
        tries += 1;
        return Promise.reject(new Error('syntax'));
      },
    } as unknown as DataSource;
    await expect(retriedTransaction(dataSource, () => Promise.resolve())).rejects.toThrow('syntax');
    expect(tries).toBe(1);
  });
});
