import { WebSocket } from 'ws';

/** Where ARI answers: the embedded simulator, or a real Asterisk (its base URL, without `/ari`). */
export interface AriTarget {
  url: string;
  username: string;
  password: string;
}

export interface AriEventFrame {
  type: string;
  application: string;
  [key: string]: unknown;
}

/** A raw event socket (plain `ws`): every frame parsed, in arrival order. */
export class EventLog {
  readonly frames: AriEventFrame[] = [];
  readonly raw: string[] = [];
  #waiters: { test: (e: AriEventFrame) => boolean; resolve: (e: AriEventFrame) => void }[] = [];
  closed: Promise<void>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      let e: AriEventFrame;
      try {
        e = JSON.parse(text) as AriEventFrame;
      } catch {
        return;
      }
      this.frames.push(e);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.test(e)) return true;
        w.resolve(e);
        return false;
      });
    });
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
  }

  static async open(sim: AriTarget, apps: string[], extra = ''): Promise<EventLog> {
    const url = `${sim.url.replace('http', 'ws')}/ari/events?app=${apps.join(',')}${extra}`;
    const ws = new WebSocket(url, { headers: { authorization: basic(sim.username, sim.password) } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new EventLog(ws);
  }

  /** Resolves with the first frame (already received or coming) that passes `test`. */
  next(test: (e: AriEventFrame) => boolean, from = 0): Promise<AriEventFrame> {
    const seen = this.frames.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  types(app?: string): string[] {
    return this.frames.filter((f) => !app || f.application === app).map((f) => f.type);
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) {
      this.ws.close();
      await this.closed;
    }
  }
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface RestResult {
  status: number;
  json: unknown;
  bytes?: Buffer;
  type: string | null;
}

/** One ARI request with plain fetch; `path` is under /ari. */
export async function ari(sim: AriTarget, method: string, path: string, body?: unknown): Promise<RestResult> {
  const res = await fetch(`${sim.url}/ari${path}`, {
    method,
    headers: {
      authorization: basic(sim.username, sim.password),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = res.headers.get('content-type');
  const buf = Buffer.from(await res.arrayBuffer());
  if (type?.startsWith('audio/')) return { status: res.status, json: undefined, bytes: buf, type };
  return { status: res.status, json: buf.length ? JSON.parse(buf.toString()) : null, type };
}

/** Waits until every frame the simulator sent so far to these apps has arrived (a user event as a fence). */
export async function fence(sim: AriTarget, log: EventLog, apps: string[]): Promise<void> {
  for (const app of apps) {
    const name = `fence-${Math.random().toString(36).slice(2)}`;
    const from = log.frames.length;
    const got = log.next((e) => e.type === 'ChannelUserevent' && e.eventname === name, from);
    const r = await ari(sim, 'POST', `/events/user/${name}?application=${app}`);
    if (r.status !== 204) throw new Error(`fence: ${r.status} ${JSON.stringify(r.json)}`);
    await got;
  }
}

/** Removes fence events from a log's frames. */
export function withoutFences(frames: AriEventFrame[]): AriEventFrame[] {
  return frames.filter((f) => !(f.type === 'ChannelUserevent' && String(f.eventname).startsWith('fence-')));
}
