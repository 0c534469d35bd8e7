// Sharing new calls between apps, as Asterisk 22.10 does it: `StasisBroadcast()` offers a channel to every matching
// app (`CallBroadcast`), `POST /events/claim` gives it to the first claimant (204; later ones 409; 404 once the offer
// is over or for a channel never offered; 501 without res_stasis_broadcast), and the winner gets a plain StasisStart.
// Unclaimed, the dialplan goes on with STASISSTATUS=TIMEOUT; the README's dialplan then spreads the call over app
// names with Stasis(). The modules can be unloaded and loaded again through /asterisk/modules, as on Asterisk.

import type { Module } from '../ari/models.js';
import type { SimTimer } from './clock.js';
import { type DialplanEntry, stasisArgs } from './dialplan.js';
import type { Engine } from './engine.js';
import { channelJson, type SimChannel, SimError } from './model.js';

/** The broadcast pair: the dialplan application needs the resource, so it is unloaded first and loaded last. */
export const BROADCAST_MODULES = ['res_stasis_broadcast.so', 'app_stasis_broadcast.so'] as const;

// What GET /asterisk/modules answers for the modules the simulator stands for (names, descriptions and support
// levels as Asterisk 22.10.1 lists them).
const MODULES: ReadonlyArray<readonly [string, string, string]> = [
  ['app_stasis.so', 'Stasis dialplan application', 'core'],
  ['app_stasis_broadcast.so', 'Stasis application broadcast', 'extended'],
  ['func_module.so', 'Checks if Asterisk module is loaded in memory', 'core'],
  ['pbx_config.so', 'Text Extension Configuration', 'core'],
  ['res_ari.so', 'Asterisk RESTful Interface', 'core'],
  ['res_ari_events.so', 'RESTful API module - WebSocket resource', 'core'],
  ['res_ari_mailboxes.so', 'RESTful API module - Mailboxes resources', 'core'],
  ['res_mwi_external.so', 'Core external MWI resource', 'core'],
  ['res_stasis.so', 'Stasis application support', 'core'],
  ['res_stasis_broadcast.so', 'Stasis application broadcast', 'extended'],
  ['res_stasis_mailbox.so', 'Stasis application mailbox support', 'core'],
  ['res_stasis_playback.so', 'Stasis application playback support', 'core'],
  ['res_stasis_recording.so', 'Stasis application recording support', 'core'],
];

/** One channel on offer. It is kept until its Stasis session ends, so a late claim learns it lost (409). */
interface Offer {
  readonly channel: SimChannel;
  readonly filter: RegExp | undefined;
  readonly notify: boolean;
  readonly args: string[];
  readonly entry: DialplanEntry;
  readonly exten: string;
  winner: string | undefined;
  /** The wait is over (claimed or timed out): no claim can win any more. */
  finished: boolean;
  timer: SimTimer | undefined;
}

export class Broadcasts {
  readonly #offers = new Map<string, Offer>();
  /** Where each dialplan entry's spread starts next (the README's dialplan keeps it in a global variable). */
  readonly #turns = new Map<DialplanEntry, number>();
  readonly #loaded = new Set<string>(MODULES.map(([name]) => name));

  constructor(
    private readonly engine: Engine,
    withModules: boolean,
    private readonly registeredApps: () => string[],
  ) {
    if (!withModules) for (const name of BROADCAST_MODULES) this.#loaded.delete(name);
  }

  /** Both modules are loaded: StasisBroadcast runs and claims are answered. */
  get available(): boolean {
    return BROADCAST_MODULES.every((name) => this.#loaded.has(name));
  }

  // --- /asterisk/modules

  modules(): Module[] {
    return MODULES.filter(([name]) => this.#loaded.has(name)).map(([name]) => this.module(name));
  }

  module(name: string): Module {
    const known = MODULES.find(([n]) => n === name);
    if (!known || !this.#loaded.has(name)) throw new SimError(404, 'Module could not be found in running modules');
    const usedBy = name === 'res_stasis_broadcast.so' && this.#loaded.has('app_stasis_broadcast.so') ? 1 : 0;
    return { name, description: known[1], use_count: usedBy, status: 'Running', support_level: known[2] };
  }

  load(name: string): void {
    if (!MODULES.some(([n]) => n === name)) throw new SimError(409, 'Module load declined');
    if (this.#loaded.has(name)) throw new SimError(409, 'Module is already loaded');
    if (name === 'app_stasis_broadcast.so' && !this.#loaded.has('res_stasis_broadcast.so'))
      throw new SimError(409, 'Module load declined');
    this.#loaded.add(name);
  }

  unload(name: string): void {
    if (!this.#loaded.has(name)) throw new SimError(404, 'Module not found in running modules');
    // Only the broadcast pair can go; res_stasis_broadcast not while the dialplan application uses it.
    const mayGo =
      name === 'app_stasis_broadcast.so' ||
      (name === 'res_stasis_broadcast.so' && !this.#loaded.has('app_stasis_broadcast.so'));
    if (!mayGo) throw new SimError(409, 'Module could not be unloaded');
    this.#loaded.delete(name);
    if (name === 'res_stasis_broadcast.so') {
      // The offers go with the module; their waits end as a timeout would.
      for (const offer of [...this.#offers.values()]) if (!offer.finished) this.#timeout(offer);
    }
  }

  // --- the dialplan

  /** Runs a `broadcast`/`spread` entry on the `;2` half, right after its `NoOp()`. */
  run(ch: SimChannel, entry: DialplanEntry, exten: string): void {
    const args = stasisArgs(entry, exten);
    if (!entry.broadcast || !this.available) {
      // The README's dialplan asks IFMODULE(app_stasis_broadcast.so) first and goes straight to the spread.
      this.#spread(ch, entry, exten, args);
      return;
    }
    const { timeoutMs = 500, filter = '', notifyClaimed = false } = entry.broadcast;
    // The application's data as the dialplan line gives it (Asterisk shows it so, in the channel's dialplan).
    const data = [String(timeoutMs), filter, args.join(':'), notifyClaimed ? 'yes' : ''];
    while (data.length > 1 && data[data.length - 1] === '') data.pop();
    const appData = data.join(',');
    // It stays the channel's dialplan application while the winner has it: StasisBroadcast runs the Stasis session.
    this.#dialplanStep(ch, 3, 'StasisBroadcast', appData);
    this.engine.setVar(ch, 'STASISSTATUS', '');
    const offer: Offer = {
      channel: ch,
      filter: filter ? new RegExp(filter) : undefined,
      notify: notifyClaimed,
      args,
      entry,
      exten,
      winner: undefined,
      finished: false,
      timer: undefined,
    };
    this.#offers.set(ch.id, offer);
    const event = { channel: channelJson(ch), caller: ch.caller.number, called: exten };
    // In a random order, so that no app is always the first to hear of a call.
    const apps = this.#matching(offer);
    for (let i = apps.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [apps[i], apps[j]] = [apps[j]!, apps[i]!];
    }
    for (const app of apps) this.engine.emit([app], 'CallBroadcast', event);
    offer.timer = this.engine.deps.clock.setTimer(timeoutMs, () => this.#timeout(offer));
  }

  /** POST /events/claim. Returns what runs once the 204 is written: the winner's Stasis session begins. */
  claim(channelId: string, app: string): () => void {
    if (!this.#loaded.has('res_stasis_broadcast.so'))
      throw new SimError(501, 'Broadcast functionality not available (res_stasis_broadcast not loaded)');
    const offer = this.#offers.get(channelId);
    if (offer && (offer.channel.destroyed || offer.channel.hangingUp)) this.#forget(offer);
    const current = this.#offers.get(channelId);
    if (!current) throw new SimError(404, 'Channel not found or not in broadcast state');
    if (current.winner !== undefined)
      throw new SimError(409, 'Channel has already been claimed by another application');
    if (current.finished) throw new SimError(404, 'Channel not found or not in broadcast state');
    current.winner = app;
    current.finished = true;
    current.timer?.cancel();
    current.timer = undefined;
    if (current.notify) {
      const event = { channel: channelJson(current.channel), winner_app: app };
      for (const other of this.#matching(current)) this.engine.emit([other], 'CallClaimed', event);
    }
    return () => {
      const ch = current.channel;
      if (ch.destroyed || ch.hangingUp) {
        this.#forget(current);
        return;
      }
      if (!this.engine.deps.isRegistered(app)) {
        // Claimed for an app without a socket: its Stasis session fails at once (STASISSTATUS=FAILED), and the
        // README's dialplan goes on to the spread.
        this.#forget(current);
        this.engine.setVar(ch, 'STASISSTATUS', 'FAILED');
        this.#spread(ch, current.entry, current.exten, current.args);
        return;
      }
      ch.fromDialplan = true;
      this.engine.enterStasis(ch, app, current.args);
    };
  }

  /** The channel is gone: its offer (claimed or not) goes with it. */
  channelGone(ch: SimChannel): void {
    const offer = this.#offers.get(ch.id);
    if (offer?.channel === ch) this.#forget(offer);
  }

  #forget(offer: Offer): void {
    offer.timer?.cancel();
    offer.timer = undefined;
    offer.finished = true;
    if (this.#offers.get(offer.channel.id) === offer) this.#offers.delete(offer.channel.id);
  }

  #matching(offer: Offer): string[] {
    return this.registeredApps().filter((app) => !offer.filter || offer.filter.test(app));
  }

  #timeout(offer: Offer): void {
    this.#forget(offer);
    const ch = offer.channel;
    if (ch.destroyed || ch.hangingUp) return;
    this.engine.setVar(ch, 'STASISSTATUS', 'TIMEOUT');
    this.#spread(ch, offer.entry, offer.exten, offer.args);
  }

  /** `Stasis()` to the apps of `spread` in turn, then `stasis`; the first registered one gets the call. */
  #spread(ch: SimChannel, entry: DialplanEntry, exten: string, args: string[]): void {
    const spread = entry.spread ?? [];
    const start = this.#turns.get(entry) ?? 0;
    if (spread.length) this.#turns.set(entry, (start + 1) % spread.length);
    const tries = spread.map((_, i) => spread[(start + i) % spread.length]!);
    if (entry.stasis) tries.push(entry.stasis);
    let priority = 4;
    for (const app of tries) {
      this.#dialplanStep(ch, priority++, 'Stasis', [app, ...args].join(','));
      if (this.engine.deps.isRegistered(app)) {
        ch.fromDialplan = true;
        this.engine.enterStasis(ch, app, args);
        return;
      }
      this.engine.deps.logger.warn('simulator: Stasis app not registered', { app, channel: ch.id, exten });
      this.engine.setVar(ch, 'STASISSTATUS', 'FAILED');
    }
    this.engine.dialplanHangup(ch, 16);
  }

  #dialplanStep(ch: SimChannel, priority: number, app: string, data: string): void {
    ch.dialplan = { ...ch.dialplan, priority, app_name: app, app_data: data };
    this.engine.channelEvent(ch, 'ChannelDialplan', { dialplan_app: app, dialplan_app_data: data });
  }
}
