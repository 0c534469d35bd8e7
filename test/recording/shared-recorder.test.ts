import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { AriResources } from '../../src/ari/operations.js';
import { silentLogger } from '../../src/index.js';
import { recorderServices, recordWith, sharedRecorderMachine } from '../../src/recording/recorder.js';
import { bindCallScope } from '../../src/runtime/app.js';
import type { CallScope, RouteKind } from '../../src/runtime/types.js';

// The library's own CallFactory shares one provided recorder machine across calls (createRecordCallCalls does):
// each call is bound to its scope with bindCallScope, and recordWith routes the recording before asking Asterisk.
// These are internals (not in the package's public surface); this test holds them to that contract.
describe('the shared recorder machine', () => {
  it('runs a call bound with bindCallScope and recordWith, routing the recording before asking Asterisk', async () => {
    const steps: string[] = [];
    const client = {
      channels: {
        record: async (params: { channelId: string; name: string; format: string }) => {
          steps.push(`record ${params.channelId} ${params.name} ${params.format}`);
        },
      },
    } as unknown as AriResources;
    const scope: CallScope = {
      callId: 'c9',
      app: 'rec',
      client,
      signal: new AbortController().signal,
      route: (kind: RouteKind, id: string) => steps.push(`route ${kind} ${id}`),
      unroute: () => {},
      logger: silentLogger,
    };
    const actor = createActor(sharedRecorderMachine(), { input: { callId: 'c9', timeLimitSeconds: 60 } });
    bindCallScope(actor.system, scope);
    recordWith(scope, recorderServices({}));
    const started = new Promise((resolve) => actor.on('recording.started', resolve));
    actor.start();
    actor.send({
      type: 'RecordingStarted',
      recording: { name: 'call_recording_c9', format: 'wav', state: 'recording', target_uri: 'channel:c9' },
    } as never);
    await started;
    expect(steps).toEqual(['route recording call_recording_c9', 'record c9 call_recording_c9 wav']);
    actor.stop();
  });

  it('refuses a call whose services were not given', async () => {
    const actor = createActor(sharedRecorderMachine(), { input: { callId: 'c10' } });
    bindCallScope(actor.system, {
      callId: 'c10',
      app: 'rec',
      client: {} as AriResources,
      signal: new AbortController().signal,
      route: () => {},
      unroute: () => {},
      logger: silentLogger,
    });
    const failed = new Promise<{ error?: { message: string } }>((resolve) => actor.on('recording.failed', resolve));
    actor.start();
    expect(JSON.stringify(await failed)).toMatch(/was not given its services \(recordWith\)/);
    actor.stop();
  });
});
