/** Map with at most `limit` calls in flight, results in input order: parallel I/O without flooding a store. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Wait for the event loop's next turn. A store whose calls finish synchronously (the folder store) resolves every
 * `await` as a microtask, so a long loop of them never lets the event loop run: a render pool's replies wait, and
 * its workers sit idle, until the loop ends. A loop that runs beside a pool awaits this once per item.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
