import { expect, it } from 'vitest';
import { oneAtATime, oneAtATimePerKey } from '../../src/runtime/one-at-a-time.js';

it('runs one pass at a time, in call order, each with its own result, a failed pass not blocking the next', async () => {
  const order: string[] = [];
  const release: Array<() => void> = [];
  const pass = oneAtATime(async (name: string) => {
    order.push(`start ${name}`);
    await new Promise<void>((resolve) => release.push(resolve));
    order.push(`end ${name}`);
    if (name === 'b') throw new Error('b failed');
    return name.toUpperCase();
  });
  const a = pass('a');
  const b = pass('b');
  const c = pass('c');
  await new Promise((r) => setTimeout(r, 10));
  expect(order).toEqual(['start a']);
  release.shift()?.();
  await expect(a).resolves.toBe('A');
  await new Promise((r) => setTimeout(r, 10));
  expect(order).toEqual(['start a', 'end a', 'start b']);
  release.shift()?.();
  await expect(b).rejects.toThrow('b failed');
  await new Promise((r) => setTimeout(r, 10));
  release.shift()?.();
  await expect(c).resolves.toBe('C');
  expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
});

it('per key: works of one key run in call order, a failed one not blocking the next; other keys do not wait', async () => {
  const run = oneAtATimePerKey();
  const order: string[] = [];
  const gates = new Map<string, () => void>();
  const work =
    (name: string, fail = false) =>
    async () => {
      order.push(`start ${name}`);
      await new Promise<void>((resolve) => gates.set(name, resolve));
      order.push(`end ${name}`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
  const a1 = run('305@default', work('a1', true));
  const a2 = run('305@default', work('a2'));
  const b1 = run('306@default', work('b1'));
  await new Promise((r) => setTimeout(r, 10));
  expect(order).toEqual(['start a1', 'start b1']);
  gates.get('b1')?.();
  await expect(b1).resolves.toBe('b1');
  expect(order).toEqual(['start a1', 'start b1', 'end b1']);
  gates.get('a1')?.();
  await expect(a1).rejects.toThrow('a1 failed');
  await new Promise((r) => setTimeout(r, 10));
  gates.get('a2')?.();
  await expect(a2).resolves.toBe('a2');
  expect(order).toEqual(['start a1', 'start b1', 'end b1', 'end a1', 'start a2', 'end a2']);
});
