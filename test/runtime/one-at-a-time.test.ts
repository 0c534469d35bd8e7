import { expect, it } from 'vitest';
import { oneAtATime } from '../../src/runtime/one-at-a-time.js';

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
