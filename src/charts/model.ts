import type { AnyStateMachine } from 'xstate';

/** The kind of a state in a chart, as XState names it. */
export type ChartStateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

/** One state of a chart: what a diagram draws as a box (atomic) or a frame (compound, parallel). */
export interface ChartState {
  /** The XState id (`voicemail.recording.review`): unique in the machine. */
  readonly id: string;
  /** The state's own key (`review`); the machine's id for the root. */
  readonly key: string;
  /** Keys from the root down (empty for the root). */
  readonly path: readonly string[];
  readonly type: ChartStateType;
  /** For history states. */
  readonly history?: 'shallow' | 'deep';
  /** The id of the initial child of a compound state. */
  readonly initial?: string;
  /** Child states, in the order of the machine's config. */
  readonly children: readonly ChartState[];
  /** The invoked actors' sources (`recordMessage`), in order. */
  readonly invoke: readonly string[];
  /** Entry actions, by name (delays' own timers left out). */
  readonly entry: readonly string[];
  /** Exit actions, by name (delays' own timers left out). */
  readonly exit: readonly string[];
  readonly tags: readonly string[];
  readonly description?: string;
}

/** What triggers a transition. */
export type ChartTriggerKind = 'event' | 'always' | 'after' | 'done' | 'error';

/** One transition, with everything a label shows. */
export interface ChartTransition {
  /** The id of the state the transition is declared on. */
  readonly source: string;
  /** The target states' ids; empty for a targetless transition (it only runs actions). */
  readonly targets: readonly string[];
  readonly kind: ChartTriggerKind;
  /** The event type as written (`ChannelDtmfReceived`), or the actor source for `done`/`error`, or `''`. */
  readonly event: string;
  /** The guard, as text (`isPound`, `!hasMessage`, `a && b`); absent when unguarded. */
  readonly guard?: string;
  /** The same guard as a tree, for labels that read its parts and params; absent when unguarded. */
  readonly guardSpec?: ChartGuard;
  /** For `after`: `5s`, `250ms`, or the delay's name when it is computed at run time. */
  readonly delay?: string;
  /** Action names, in order. */
  readonly actions: readonly string[];
  /** True when the transition re-enters its source (`reenter: true`). */
  readonly reenter: boolean;
}

/**
 * A transition's guard as written in the machine: a named guard with its params (`{ type: 'isKey', params: { key:
 * 'accept' } }`), `and` / `or` / `not` of guards, `stateIn`, or an inline function.
 */
export type ChartGuard =
  | { readonly kind: 'named'; readonly type: string; readonly params?: unknown }
  | { readonly kind: 'and' | 'or'; readonly guards: readonly ChartGuard[] }
  | { readonly kind: 'not'; readonly guard: ChartGuard }
  | { readonly kind: 'in'; readonly stateValue: unknown }
  | { readonly kind: 'inline' };

/** A machine reduced to what diagrams draw: deterministic, serialisable, in config order. */
export interface Chart {
  /** The machine's id. */
  readonly id: string;
  readonly root: ChartState;
  /** Every transition, in document order (states depth first, then each state's transitions in config order). */
  readonly transitions: readonly ChartTransition[];
}

// The parts of a StateNode the chart reads; xstate's own types are too generic to be useful here.
interface NodeLike {
  readonly id: string;
  readonly key: string;
  readonly path: readonly string[];
  readonly type: ChartStateType;
  readonly history: false | 'shallow' | 'deep';
  readonly initial?: { readonly target: readonly NodeLike[] };
  readonly states: Record<string, NodeLike>;
  readonly transitions: Map<string, readonly TransitionLike[]>;
  readonly always?: readonly TransitionLike[];
  readonly invoke: ReadonlyArray<{ readonly id: string; readonly src: string | unknown }>;
  readonly entry: readonly unknown[];
  readonly exit: readonly unknown[];
  readonly tags: readonly string[];
  readonly description?: string;
}

interface TransitionLike {
  readonly eventType: string;
  readonly target?: readonly NodeLike[];
  readonly guard?: unknown;
  readonly actions: readonly unknown[];
  readonly reenter?: boolean;
  readonly delay?: number | string;
}

const AFTER = 'xstate.after.';
const DONE_ACTOR = 'xstate.done.actor.';
const ERROR_ACTOR = 'xstate.error.actor.';
const DONE_STATE = 'xstate.done.state.';

/**
 * Reduces a machine to a {@link Chart}.
 * @param machine any XState v5 machine (`setup(...).createMachine(...)`, provided or not).
 * @throws TypeError when `machine` is not an XState machine.
 */
export function chartOf(machine: AnyStateMachine): Chart {
  if (!isStateMachine(machine)) throw new TypeError('chartOf: expected an XState machine (createMachine / setup)');
  const root = machine.root as unknown as NodeLike;
  const delays = (machine.implementations?.delays ?? {}) as Record<string, unknown>;
  const transitions: ChartTransition[] = [];
  const visit = (node: NodeLike): ChartState => {
    const invokes = new Map(node.invoke.map((inv) => [inv.id, srcName(inv.src)]));
    for (const [eventType, list] of node.transitions) {
      for (const t of list) transitions.push(transitionOf(node, eventType, t, invokes, delays));
    }
    for (const t of node.always ?? []) transitions.push(transitionOf(node, '', t, invokes, delays));
    const children = Object.values(node.states).map(visit);
    const initial = node.type === 'compound' ? node.initial?.target[0]?.id : undefined;
    return {
      id: node.id,
      key: node.path.length === 0 ? machine.id : node.key,
      path: [...node.path],
      type: node.type,
      ...(node.type === 'history' && node.history ? { history: node.history } : {}),
      ...(initial ? { initial } : {}),
      children,
      invoke: node.invoke.map((inv) => srcName(inv.src)),
      entry: actionNames(node.entry),
      exit: actionNames(node.exit),
      tags: [...node.tags],
      ...(typeof node.description === 'string' ? { description: node.description } : {}),
    };
  };
  return { id: machine.id, root: visit(root), transitions };
}

/** True for an XState v5 machine (what `createMachine` / `setup().createMachine` return). */
export function isStateMachine(value: unknown): value is AnyStateMachine {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { root?: { machine?: unknown }; getInitialSnapshot?: unknown; transition?: unknown };
  return typeof v.getInitialSnapshot === 'function' && typeof v.transition === 'function' && v.root?.machine === v;
}

function transitionOf(
  node: NodeLike,
  eventType: string,
  t: TransitionLike,
  invokes: Map<string, string>,
  delays: Record<string, unknown>,
): ChartTransition {
  let kind: ChartTriggerKind = 'event';
  let event = eventType;
  let delay: string | undefined;
  if (eventType === '') kind = 'always';
  else if (eventType.startsWith(AFTER)) {
    kind = 'after';
    event = '';
    delay = delayLabel(t.delay, delays);
  } else if (eventType.startsWith(DONE_ACTOR)) {
    kind = 'done';
    event = invokes.get(eventType.slice(DONE_ACTOR.length)) ?? eventType.slice(DONE_ACTOR.length);
  } else if (eventType.startsWith(ERROR_ACTOR)) {
    kind = 'error';
    event = invokes.get(eventType.slice(ERROR_ACTOR.length)) ?? eventType.slice(ERROR_ACTOR.length);
  } else if (eventType === `${DONE_STATE}${node.id}`) {
    kind = 'done';
    event = '';
  }
  const guardSpec = t.guard === undefined ? undefined : guardOf(t.guard);
  const guard = guardSpec === undefined ? undefined : guardText(guardSpec);
  return {
    source: node.id,
    targets: (t.target ?? []).map((target) => target.id),
    kind,
    event,
    ...(guard !== undefined ? { guard } : {}),
    ...(guardSpec !== undefined ? { guardSpec } : {}),
    ...(delay !== undefined ? { delay } : {}),
    actions: actionNames(t.actions),
    reenter: t.reenter === true,
  };
}

function srcName(src: unknown): string {
  if (typeof src !== 'string') return 'inline';
  // An inline actor's source is `xstate.invoke.<generated id>`; its generated id says nothing to a reader.
  return src.startsWith('xstate.invoke.') ? 'inline' : src;
}

/** `5s`, `1.5s`, `250ms`, `2min`; a named delay resolves through the machine's `delays` when it is a number. */
export function delayLabel(delay: number | string | undefined, delays: Record<string, unknown> = {}): string {
  if (typeof delay === 'string') {
    const resolved = delays[delay];
    return typeof resolved === 'number' ? formatMs(resolved) : delay;
  }
  return typeof delay === 'number' ? formatMs(delay) : '?';
}

function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}min`;
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function guardOf(guard: unknown): ChartGuard {
  if (typeof guard === 'string') return { kind: 'named', type: guard };
  if (typeof guard === 'function') {
    const g = guard as { name?: string; guards?: unknown[]; check?: unknown; stateValue?: unknown };
    if (g.check && Array.isArray(g.guards)) {
      const guards = g.guards.map(guardOf);
      if (g.name === 'not') return { kind: 'not', guard: guards[0] ?? { kind: 'inline' } };
      return { kind: g.name === 'or' ? 'or' : 'and', guards };
    }
    if (g.check && 'stateValue' in g) return { kind: 'in', stateValue: g.stateValue };
    return { kind: 'inline' };
  }
  if (guard && typeof guard === 'object' && typeof (guard as { type?: unknown }).type === 'string') {
    const { type, params } = guard as { type: string; params?: unknown };
    return params === undefined ? { kind: 'named', type } : { kind: 'named', type, params };
  }
  return { kind: 'inline' };
}

/**
 * A guard as text: `isPound`, `isKey(accept)`, `a && !b`, `a && (b || c)`, `in("idle")`, `inline`. `name` gives a
 * named guard's text instead of `type(params)`.
 */
export function guardText(guard: ChartGuard, name: (g: NamedGuard) => string = namedGuardText): string {
  switch (guard.kind) {
    case 'named':
      return name(guard);
    case 'and':
    case 'or': {
      const parts = guard.guards.map((g) => {
        const text = guardText(g, name);
        // `&&` binds tighter than `||`: only an `or` inside an `and` needs parentheses.
        return g.kind === 'or' && guard.kind === 'and' && guard.guards.length > 1 ? `(${text})` : text;
      });
      return parts.join(guard.kind === 'and' ? ' && ' : ' || ');
    }
    case 'not': {
      const text = guardText(guard.guard, name);
      return guard.guard.kind === 'and' || guard.guard.kind === 'or' ? `!(${text})` : `!${text}`;
    }
    case 'in':
      return `in(${JSON.stringify(guard.stateValue)})`;
    default:
      return 'inline';
  }
}

/** A named guard of a {@link ChartGuard}. */
export type NamedGuard = Extract<ChartGuard, { kind: 'named' }>;

/**
 * `isPound`, or with params `isKey(accept)` (one param shows its value alone), `between(min=1, max=3)`. Params
 * computed when the guard runs (from the event, e.g. an actor's output) are not known to the chart: the name alone.
 */
export function namedGuardText(guard: NamedGuard): string {
  if (guard.params === undefined || typeof guard.params === 'function') return guard.type;
  return `${guard.type}(${paramsLabel(guard.params)})`;
}

function paramsLabel(params: unknown): string {
  if (typeof params === 'function') return '…';
  if (params === null || typeof params !== 'object') return valueLabel(params);
  const entries = Object.entries(params as Record<string, unknown>);
  // One parameter reads best as its value alone: `isKey(accept)`.
  if (entries.length === 1) return valueLabel(entries[0]![1]);
  return entries.map(([k, v]) => `${k}=${valueLabel(v)}`).join(', ');
}

function valueLabel(value: unknown): string {
  if (typeof value === 'function') return '…';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

function actionNames(actions: readonly unknown[]): string[] {
  const names: string[] = [];
  for (const action of actions) {
    const name = actionName(action);
    if (name !== undefined) names.push(name);
  }
  return names;
}

function actionName(action: unknown): string | undefined {
  if (typeof action === 'string') return action;
  if (typeof action === 'function') {
    const a = action as { type?: unknown; id?: unknown; sendId?: unknown };
    const type = a.type;
    if (typeof type !== 'string') return 'inline';
    // XState implements `after` with a raise on entry and a cancel on exit: an implementation detail, not behaviour.
    if (type === 'xstate.raise' && typeof a.id === 'string' && a.id.startsWith(AFTER)) return undefined;
    if (type === 'xstate.cancel' && typeof a.sendId === 'string' && a.sendId.startsWith(AFTER)) return undefined;
    return type.startsWith('xstate.') ? type.slice('xstate.'.length) : type;
  }
  if (action && typeof action === 'object') {
    const type = (action as { type?: unknown }).type;
    if (typeof type === 'string') return type;
  }
  return 'inline';
}
