// The part of ari-client 2.2.0 (untyped JavaScript) that the benchmark and its tests use.
declare module 'ari-client' {
  import type { EventEmitter } from 'node:events';

  // biome-ignore lint/suspicious/noExplicitAny: ari-client builds its results from the Swagger documents at run time.
  type Operation = (params?: Record<string, unknown>, instance?: unknown) => Promise<any>;

  /** A resource instance: its wire fields plus one method per operation of its resource. */
  export interface AriResource {
    readonly id: string;
    // biome-ignore lint/suspicious/noExplicitAny: fields and operations come from the Swagger documents at run time.
    readonly [fieldOrOperation: string]: any;
  }

  export interface AriClient extends EventEmitter {
    // biome-ignore lint/suspicious/noExplicitAny: resources come from the Swagger documents at run time.
    readonly [resource: string]: any;
    channels: Record<string, Operation>;
    recordings: Record<string, Operation>;
    Channel(id?: string): AriResource;
    LiveRecording(id?: string): AriResource;
    Playback(id?: string): AriResource;
    start(apps: string | string[]): Promise<void>;
    stop(): void;
  }

  export function connect(url: string, user: string, pass: string): Promise<AriClient>;
  const ari: { connect: typeof connect };
  export default ari;
}
