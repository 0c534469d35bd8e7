import { describe, expect, it } from 'vitest';
import { assign, createActor, fromPromise, setup } from 'xstate';
import { fromCallPromise } from '../../src/runtime/promise.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

// A machine that asks for something and either gets the answer, the failure, or gives up first (`skip`).
function machineWith(
  logic: typeof fromCallPromise,
  answer: Deferred<string>,
  seen: { input?: unknown; systems: unknown[] },
) {
  return setup({
    types: {
      context: {} as { answer: string | null; failure: unknown },
      events: {} as { type: 'skip' },
    },
    actors: {
      ask: logic<string, { question: string }>(({ input, system }) => {
        seen.input = input;
        seen.systems.push(system);
        return answer.promise;
      }),
    },
  }).createMachine({
    context: { answer: null, failure: null },
    initial: 'asking',
    states: {
      asking: {
        invoke: {
          src: 'ask',
          input: { question: 'which mailbox?' },
          onDone: { target: 'answered', actions: assign({ answer: ({ event }) => event.output }) },
          onError: { target: 'failed', actions: assign({ failure: ({ event }) => event.error }) },
        },
        on: { skip: 'skipped' },
      },
      answered: { type: 'final' },
      failed: { type: 'final' },
      skipped: {},
    },
  });
}

// The same behaviour as xstate's fromPromise in a machine, checked side by side.
describe.each([
  ['fromCallPromise', fromCallPromise],
  ['xstate fromPromise', fromPromise as typeof fromCallPromise],
])('%s', (_name, logic) => {
  it('gives the invoking state the promise value as onDone output, with the input and the actor system', async () => {
    const answer = deferred<string>();
    const seen: { input?: unknown; systems: unknown[] } = { systems: [] };
    const actor = createActor(machineWith(logic, answer, seen)).start();
    expect(seen.input).toEqual({ question: 'which mailbox?' });
    expect(seen.systems).toEqual([actor.system]);
    answer.resolve('305');
    await settle();
    expect(actor.getSnapshot().value).toBe('answered');
    expect(actor.getSnapshot().context.answer).toBe('305');
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('turns a rejection into onError with the error as it came', async () => {
    const answer = deferred<string>();
    const actor = createActor(machineWith(logic, answer, { systems: [] })).start();
    const failure = new Error('refused');
    answer.reject(failure);
    await settle();
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().context.failure).toBe(failure);
  });

  it('drops the answer of an actor whose state was left before the promise settled', async () => {
    for (const outcome of ['resolve', 'reject'] as const) {
      const answer = deferred<string>();
      const actor = createActor(machineWith(logic, answer, { systems: [] })).start();
      actor.send({ type: 'skip' });
      if (outcome === 'resolve') answer.resolve('too late');
      else answer.reject(new Error('too late'));
      await settle();
      expect(actor.getSnapshot().value).toBe('skipped');
      expect(actor.getSnapshot().context).toEqual({ answer: null, failure: null });
      expect(actor.getSnapshot().status).toBe('active');
      actor.stop();
    }
  });

  it('a promise creator that throws is an onError of the invoke, not an error of the machine', async () => {
    const machine = setup({
      actors: {
        broken: logic<string>(() => {
          throw new Error('bad implementation');
        }),
      },
    }).createMachine({
      invoke: { src: 'broken', onError: '.failed' },
      initial: 'idle',
      states: { idle: {}, failed: {} },
    });
    const actor = createActor(machine);
    const errors: unknown[] = [];
    actor.subscribe({ error: (error) => errors.push(error) });
    actor.start();
    await settle();
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().status).toBe('active');
    expect(errors).toEqual([]);
  });
});
