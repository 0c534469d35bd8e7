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
