import type { ChartState, ChartTransition } from './model.js';
import { type ChartGuard, guardText, type NamedGuard, namedGuardText } from './model.js';

/** What a diagram shows besides states and arrows. */
export interface ChartLabelOptions {
  /** Show entry/exit actions in states and actions on transitions (`EVENT [guard] / save`). Default false. */
  readonly actions?: boolean;
  /** How this machine's events and guards read. Default: as written in the machine (`EVENT [isKey(accept)]`). */
  readonly labels?: ChartLabels;
  /**
   * Short labels, for an overview: a guard is shown only when it qualifies the trigger (`DTMF # [accept]`), left out
   * otherwise (`RecordingFinished`, not `RecordingFinished [current take && hungUp]`). Default false.
   */
  readonly brief?: boolean;
}

/**
 * Words a reader of one machine's diagrams recognises, in place of the names in its code. For a voicemail machine:
 * `{ events: { ChannelDtmfReceived: 'DTMF' }, guards: { isKey: ({ key }) => ({ on: DEFAULT_KEYS[key], guard: key }),
 * isCurrentPlayback: 'current playback' } }` turns `ChannelDtmfReceived [isKey(accept)]` into `DTMF # [accept]` and
 * `PlaybackFinished [isCurrentPlayback]` into `PlaybackFinished [current playback]`. Labels only: what is drawn
 * (states, arrows, their order) does not change, except that {@link eventGroups} may draw several arrows as one.
 */
export interface ChartLabels {
  /** The name drawn for an event type (`{ ChannelDtmfReceived: 'DTMF' }`); unlisted events keep their type. */
  readonly events?: Readonly<Record<string, string>>;
  /**
   * Events a reader thinks of as one (`{ 'hang-up': ['ChannelHangupRequest', 'StasisEnd'] }`): when a state has one
   * transition for every event of a group, and they are alike in all but the event (targets, guard, kind, and
   * actions when shown), they are drawn as one arrow labelled with the group's name. A group of fewer than two
   * events, or a group only partly handled, changes nothing.
   */
  readonly eventGroups?: Readonly<Record<string, readonly string[]>>;
  /**
   * The label of a named guard, by guard type: a text in place of its name, or a function of its params (`undefined`
   * when the machine gives none; a function when they are computed at run time) that returns the text, or a
   * {@link GuardLabel} that also qualifies the trigger. Unlisted guards keep `type(params)`.
   */
  readonly guards?: Readonly<Record<string, string | ((params: unknown) => string | GuardLabel)>>;
}

/**
 * A guard's label in two parts: `on` is written after the trigger, `guard` (if any) in the brackets; `{ on: '#',
 * guard: 'accept' }` on a `DTMF` transition gives `DTMF # [accept]`. Inside `!` or `||` both parts are written in the
 * brackets (`[!(# accept)]`), since there the guard no longer says which event fires the transition.
 */
export interface GuardLabel {
  readonly on: string;
  readonly guard?: string;
}

/** The label of a transition: `EVENT [guard]`, `after 5s`, `onDone(recordMessage)`, `always [hasMessage]`. */
export function transitionLabel(t: ChartTransition, options: ChartLabelOptions = {}, event?: string): string {
  let trigger: string;
  switch (t.kind) {
    case 'always':
      trigger = 'always';
      break;
    case 'after':
      trigger = `after ${t.delay ?? '?'}`;
      break;
    case 'done':
      trigger = t.event === '' ? 'onDone' : `onDone(${t.event})`;
      break;
    case 'error':
      trigger = `onError(${t.event})`;
      break;
    default:
      trigger = event ?? options.labels?.events?.[t.event] ?? t.event;
  }
  let label = trigger;
  if (t.guardSpec !== undefined) {
    const { on, guard } = labelGuard(t.guardSpec, options.labels);
    if (on.length > 0) label += ` ${on.join(' ')}`;
    if (guard !== undefined && (!options.brief || on.length > 0)) label += ` [${guard}]`;
  } else if (t.guard !== undefined && !options.brief) label += ` [${t.guard}]`;
  if (options.actions && t.actions.length > 0) label += ` / ${t.actions.join(', ')}`;
  return label;
}

// The trigger qualifiers of a guard (its own and those of the parts of an `and`), and the bracketed rest.
function labelGuard(guard: ChartGuard, labels: ChartLabels | undefined): { on: string[]; guard?: string } {
  if (guard.kind === 'named') {
    const label = namedLabel(guard, labels);
    if (typeof label === 'string') return { on: [], guard: label };
    return label.guard === undefined ? { on: [label.on] } : { on: [label.on], guard: label.guard };
  }
  if (guard.kind === 'and') {
    const parts = guard.guards.map((g) => ({ g, label: labelGuard(g, labels) }));
    const rest = parts.filter((p) => p.label.guard !== undefined);
    const text = rest
      .map((p) => (p.g.kind === 'or' && rest.length > 1 ? `(${p.label.guard})` : p.label.guard))
      .join(' && ');
    const on = parts.flatMap((p) => p.label.on);
    return text === '' ? { on } : { on, guard: text };
  }
  return { on: [], guard: guardText(guard, (g) => inlineLabel(namedLabel(g, labels))) };
}

function namedLabel(guard: NamedGuard, labels: ChartLabels | undefined): string | GuardLabel {
  const custom = labels?.guards?.[guard.type];
  if (custom === undefined) return namedGuardText(guard);
  if (typeof custom === 'string') return custom;
  const label = custom(guard.params);
  if (typeof label === 'string') return label;
  if (label === null || typeof label !== 'object' || typeof label.on !== 'string') {
    throw new TypeError(`chart labels: guards.${guard.type} must return a string or { on, guard? }`);
  }
  return label;
}

function inlineLabel(label: string | GuardLabel): string {
  if (typeof label === 'string') return label;
  return label.guard === undefined ? label.on : `(${label.on} ${label.guard})`;
}

/** One arrow (or one line inside a state) to draw: a transition, or several alike ones of an event group. */
export interface ChartEdge {
  readonly transition: ChartTransition;
  readonly label: string;
}

/**
 * The transitions to draw, labelled, in chart order: alike transitions that together handle a whole event group
 * (see {@link ChartLabels.eventGroups}) become one, at the place of the first.
 */
export function chartEdges(transitions: readonly ChartTransition[], options: ChartLabelOptions = {}): ChartEdge[] {
  const groups = Object.entries(options.labels?.eventGroups ?? {}).filter(([, events]) => new Set(events).size > 1);
  const merged = new Set<ChartTransition>();
  const edges: ChartEdge[] = [];
  transitions.forEach((t, i) => {
    if (merged.has(t)) return;
    for (const [name, events] of groups) {
      if (t.kind !== 'event' || !events.includes(t.event)) continue;
      const alike = transitions
        .slice(i)
        .filter((o) => o.kind === 'event' && events.includes(o.event) && likeness(o, options) === likeness(t, options));
      const firstOfEach = events.map((event) => alike.find((o) => o.event === event));
      if (firstOfEach.some((o) => o === undefined)) continue;
      for (const o of firstOfEach) merged.add(o!);
      edges.push({ transition: t, label: transitionLabel(t, options, name) });
      return;
    }
    edges.push({ transition: t, label: transitionLabel(t, options) });
  });
  return edges;
}

// What must be equal for transitions on different events to be drawn as one.
function likeness(t: ChartTransition, options: ChartLabelOptions): string {
  const actions = options.actions ? t.actions : [];
  return JSON.stringify([t.source, t.targets, t.guard ?? null, t.reenter, actions]);
}

/** The lines written inside a state under its name: invoked actors, then (optionally) entry and exit actions. */
export function stateDetails(state: ChartState, options: ChartLabelOptions = {}): string[] {
  const lines = state.invoke.map((src) => `invoke: ${src}`);
  if (options.actions) {
    if (state.entry.length > 0) lines.push(`entry / ${state.entry.join(', ')}`);
    if (state.exit.length > 0) lines.push(`exit / ${state.exit.join(', ')}`);
  }
  return lines;
}

/** The name of a state as drawn: its key, `H` / `H*` for history states. */
export function stateName(state: ChartState): string {
  if (state.type === 'history') return state.history === 'deep' ? 'H*' : 'H';
  return state.key;
}

/** Index of a chart's states by id, with each state's parent. */
export interface ChartIndex {
  readonly byId: ReadonlyMap<string, ChartState>;
  readonly parent: ReadonlyMap<string, ChartState>;
}

export function indexChart(root: ChartState): ChartIndex {
  const byId = new Map<string, ChartState>();
  const parent = new Map<string, ChartState>();
  const walk = (state: ChartState): void => {
    byId.set(state.id, state);
    for (const child of state.children) {
      parent.set(child.id, state);
      walk(child);
    }
  };
  walk(root);
  return { byId, parent };
}

/** True when `inner` is `outer` or one of its descendants. */
export function isWithin(index: ChartIndex, inner: string, outer: string): boolean {
  for (let id: string | undefined = inner; id !== undefined; id = index.parent.get(id)?.id) {
    if (id === outer) return true;
  }
  return false;
}

/** The nearest state that contains both (a state contains itself). */
export function commonAncestor(index: ChartIndex, a: string, b: string): ChartState {
  for (let id: string | undefined = a; id !== undefined; id = index.parent.get(id)?.id) {
    if (isWithin(index, b, id)) return index.byId.get(id)!;
  }
  throw new Error(`states ${a} and ${b} are not in the same chart`);
}
