// The receiver example refuses bad file names with 400 and a reason, stores good ones, and never dies.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RecordingReceiver, startRecordingReceiver } from '../../examples/recording-receiver.js';

let dir: string;
let receiver: RecordingReceiver;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'receiver-'));
  receiver = await startRecordingReceiver({ dir, port: 0 });
});

afterAll(async () => {
  await receiver?.close();
  await rm(dir, { recursive: true, force: true });
});

const put = async (path: string, body = 'RIFF') => {
  const res = await fetch(`${receiver.url}${path}`, { method: 'PUT', body });
  return { status: res.status, text: await res.text() };
};

it('refuses a 300-character name, a bad % and an encoded slash with 400, and goes on storing good names', async () => {
  expect(await put('rec/first.wav', 'one')).toMatchObject({ status: 201 });
  expect(await put(`rec/${'a'.repeat(300)}.wav`)).toEqual({
    status: 400,
    text: 'the file name is longer than 200 characters\n',
  });
  expect(await put('rec/50%zz.wav')).toEqual({ status: 400, text: 'the file name is not valid percent-encoding\n' });
  expect(await put('rec/x%2ffirst.wav', 'two')).toEqual({
    status: 400,
    text: 'the file name holds a path separator\n',
  });
  expect(await put('rec/%2e%2e%5cfirst.wav')).toMatchObject({ status: 400 });
  expect(await put('rec/.hidden')).toMatchObject({ status: 400 });
  // Still alive, and the file a %2f tried to overwrite is untouched.
  expect(await put('rec/second.wav', 'three')).toMatchObject({ status: 201 });
  expect(await readFile(join(dir, 'first.wav'), 'utf8')).toBe('one');
  expect((await readdir(dir)).sort()).toEqual(['first.wav', 'second.wav']);
});
