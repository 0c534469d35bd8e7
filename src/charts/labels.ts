import type { ChartState, ChartTransition } from './model.js';

/** What a diagram shows besides states and arrows. */
export interface ChartLabelOptions {
  /** Show entry/exit actions in states and actions on transitions (`EVENT [guard] / save`). Default false. */
  readonly actions?: boolean;
}

/** The label of a transition: `EVENT [guard]`, `after 5s`, `onDone(recordMessage)`, `always [hasMessage]`. */
export function transitionLabel(t: ChartTransition, options: ChartLabelOptions = {}): string {
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
      trigger = t.event;
  }
  let label = t.guard === undefined ? trigger : `${trigger} [${t.guard}]`;
  if (options.actions && t.actions.length > 0) label += ` / ${t.actions.join(', ')}`;
  return label;
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
