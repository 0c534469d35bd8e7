import { describe, expect, it } from 'vitest';
import { createAriClient } from '../../src/ari/client.js';
import { AriOptionsError } from '../../src/ari/errors.js';
import { silentLogger } from '../../src/ari/logger.js';
import { type AriClientOptions, resolveAriOptions } from '../../src/ari/options.js';

const base = { url: 'http://127.0.0.1:8088', username: 'asterisk', password: 'asterisk' };

function optionError(options: unknown): AriOptionsError {
  try {
    resolveAriOptions(options as AriClientOptions);
  } catch (e) {
    expect(e).toBeInstanceOf(AriOptionsError);
    return e as AriOptionsError;
  }
  throw new Error('expected an AriOptionsError');
}

describe('client options', () => {
  it('applies the defaults', () => {
    const o = resolveAriOptions(base);
    expect(o).toMatchObject({
      origin: 'http://127.0.0.1:8088',
      basePath: '/ari',
      baseUrl: 'http://127.0.0.1:8088/ari',
      apps: [],
      subscribeAll: false,
      requestTimeoutMs: 10_000,
      connections: 32,
      dispatcher: undefined,
    });
    expect(o.logger).toBe(silentLogger);
  });

  it.each([
    ['http://pbx:8088', 'http://pbx:8088', '/ari'],
    ['http://pbx:8088/', 'http://pbx:8088', '/ari'],
    ['http://pbx:8088/ari', 'http://pbx:8088', '/ari'],
    ['http://pbx:8088/ari/', 'http://pbx:8088', '/ari'],
    ['https://pbx.example.com/asterisk', 'https://pbx.example.com', '/asterisk/ari'],
  ])('reads url %s as %s + %s', (url, origin, basePath) => {
    expect(resolveAriOptions({ ...base, url })).toMatchObject({ origin, basePath });
  });

  it('accepts one app as a string and drops repeated apps', () => {
    expect(resolveAriOptions({ ...base, apps: 'vm' }).apps).toEqual(['vm']);
    expect(resolveAriOptions({ ...base, apps: ['vm', 'rec', 'vm'] }).apps).toEqual(['vm', 'rec']);
  });

  it.each([
    [undefined, 'options'],
    [{ ...base, url: 'ws://pbx:8088' }, 'url'],
    [{ ...base, url: 'pbx:8088' }, 'url'],
    [{ ...base, url: 'not a url' }, 'url'],
    [{ ...base, url: 'http://u:p@pbx:8088' }, 'url'],
    [{ ...base, url: 'http://pbx:8088/ari?x=1' }, 'url'],
    [{ ...base, url: 8088 }, 'url'],
    [{ ...base, username: '' }, 'username'],
    [{ ...base, username: 'a:b' }, 'username'],
    [{ ...base, password: undefined }, 'password'],
    [{ ...base, apps: [] as string[], subscribeAll: 'yes' }, 'subscribeAll'],
    [{ ...base, apps: ['vm,rec'] }, 'apps'],
    [{ ...base, apps: [''] }, 'apps'],
    [{ ...base, apps: 5 }, 'apps'],
    [{ ...base, requestTimeoutMs: 0 }, 'requestTimeoutMs'],
    [{ ...base, requestTimeoutMs: Number.POSITIVE_INFINITY }, 'requestTimeoutMs'],
    [{ ...base, requestTimeoutMs: '100' }, 'requestTimeoutMs'],
    [{ ...base, connections: 1.5 }, 'connections'],
    [{ ...base, connections: -1 }, 'connections'],
    [{ ...base, dispatcher: {} }, 'dispatcher'],
    [{ ...base, logger: { info() {} } }, 'logger'],
    [{ ...base, heartbeat: { intervalMs: -1 } }, 'heartbeat.intervalMs'],
    [{ ...base, heartbeat: { every: 1 } }, 'heartbeat.every'],
    [{ ...base, reconnect: { jitter: 2 } }, 'reconnect.jitter'],
    [{ ...base, reconnect: true }, 'reconnect'],
    [{ ...base, requestTimeout: 100 }, 'requestTimeout'],
  ])('refuses %j naming %s', (options, option) => {
    expect(optionError(options).option).toBe(option);
  });

  it('makes the client check the event options too when apps are given', () => {
    expect(() => createAriClient({ ...base, apps: ['vm'], reconnect: { factor: 0.5 } })).toThrow(AriOptionsError);
  });

  it('needs apps to connect or listen', async () => {
    const client = createAriClient(base);
    expect(client.connectionState).toBe('idle');
    expect(() => client.onEvent(() => {})).toThrow(/apps/);
    await expect(client.connect()).rejects.toMatchObject({ option: 'apps' });
    await client.close();
    expect(client.connectionState).toBe('closed');
  });

  it('rejects an invalid per-call timeoutMs', async () => {
    const client = createAriClient(base);
    await expect(client.asterisk.ping(undefined, { timeoutMs: -5 })).rejects.toMatchObject({ option: 'timeoutMs' });
    await client.close();
  });
});
