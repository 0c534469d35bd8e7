// The recorder's journal on disk: entries survive a new instance (a restart), a torn file is set aside and reported
// without hiding the others, interrupted writes are cleaned, and upload credentials never reach the disk.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveRecordCallInput } from '../../machines/record-call.js';
import { RecorderJournal, type RecorderJournalProblem } from '../../src/recording/journal.js';
import { takeOf } from '../../src/recording/recorder.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ari-vm-recjournal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const settings = (callId: string, url = 'https://user:secret@rec.example/calls/') =>
  resolveRecordCallInput({ callId, url, metadata: { ACCOUNT_ID: 'a1' } });

describe('RecorderJournal', () => {
  it('keeps takes and done calls across instances, and forgets them', async () => {
    const journal = new RecorderJournal(dir);
    await journal.putTake(takeOf('rec-app', settings('c1'), new Date(1000)));
    await journal.putTake(takeOf('rec-app', settings('c2'), new Date(500)));
    await journal.markDone('c3');
    const again = new RecorderJournal(dir);
    expect((await again.takes()).map((t) => t.callId)).toEqual(['c2', 'c1']);
    expect((await again.doneCalls()).map((d) => d.callId)).toEqual(['c3']);
    await again.forgetTake('call_recording_c1');
    await again.forgetDone('c3');
    expect((await again.takes()).map((t) => t.callId)).toEqual(['c2']);
    expect(await again.doneCalls()).toEqual([]);
  });

  it('writes the upload url without its credentials, marked to be sent with those known for its origin', async () => {
    const journal = new RecorderJournal(dir);
    await journal.putTake(takeOf('rec-app', settings('c1')));
    const [take] = await journal.takes();
    expect(take).toMatchObject({
      uploadUrl: 'https://rec.example/calls/call_recording_c1.wav',
      credentialed: true,
      fileName: 'call_recording_c1.wav',
      metadata: { ACCOUNT_ID: 'a1' },
    });
    for (const name of await readdir(dir)) {
      if (name.endsWith('.json')) expect(await readFile(join(dir, name), 'utf8')).not.toContain('secret');
    }
  });

  it('sets a torn entry aside and reports it; the other entries stay readable; interrupted writes are removed', async () => {
    const problems: RecorderJournalProblem[] = [];
    const journal = new RecorderJournal(dir, (p) => problems.push(p));
    await journal.putTake(takeOf('rec-app', settings('c1')));
    await writeFile(join(dir, 'take-torn.json'), '{"kind":"take","entry":{"recordingN');
    await writeFile(join(dir, 'tmp', 'take-x.json.1.abc'), '{');
    const reopened = new RecorderJournal(dir, (p) => problems.push(p));
    expect((await reopened.takes()).map((t) => t.callId)).toEqual(['c1']);
    expect(problems.map((p) => p.file)).toEqual(['take-torn.json']);
    expect(await readdir(join(dir, 'unreadable'))).toEqual(['take-torn.json']);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });
});
