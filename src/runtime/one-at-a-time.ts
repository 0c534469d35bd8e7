/**
 * A recovery (or any pass over shared state) run one at a time: a call made while one runs starts once it has
 * ended, whether it resolved or rejected, and gets its own result. Recoveries at start and after each socket gap
 * may overlap otherwise, and two of them would settle the same take twice.
 */
export function oneAtATime<A, R>(run: (arg: A) => Promise<R>): (arg: A) => Promise<R> {
  let running: Promise<unknown> = Promise.resolve();
  return (arg) => {
    const next = running.then(
      () => run(arg),
      () => run(arg),
    );
    running = next.catch(() => undefined);
    return next;
  };
}

/**
 * Work run one at a time per key: `run(key, work)` starts `work` once the last work of the same key has ended
 * (resolved or rejected), and gives its own result; works of other keys run meanwhile. A key is forgotten once its
 * last work has ended, so the keys seen do not pile up.
 */
export function oneAtATimePerKey(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const queues = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const next = (queues.get(key) ?? Promise.resolve()).then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  };
}
