/**
 * Statecharts people can see: a machine as deterministic JSON, a Mermaid state diagram, Graphviz DOT and SVG.
 * Development tooling (`npm run charts`), deliberately outside the library's entry points so that the runtime
 * never loads Graphviz.
 */
import type { AnyStateMachine } from 'xstate';
import { definitionJson } from './definition.js';
import { toDot } from './dot.js';
import type { ChartLabelOptions } from './labels.js';
import { toMermaid } from './mermaid.js';
import { chartOf, isStateMachine } from './model.js';
import { renderSvg } from './svg.js';

export { definitionJson, definitionOf, type Json } from './definition.js';
export { toDot } from './dot.js';
export {
  type ChartEdge,
  type ChartLabelOptions,
  type ChartLabels,
  chartEdges,
  type GuardLabel,
  transitionLabel,
} from './labels.js';
export { toMermaid } from './mermaid.js';
export {
  type Chart,
  type ChartGuard,
  type ChartState,
  type ChartStateType,
  type ChartTransition,
  type ChartTriggerKind,
  chartOf,
  delayLabel,
  guardText,
  isStateMachine,
  type NamedGuard,
} from './model.js';
export {
  ARI_EVENT_GROUPS,
  ARI_EVENT_LABELS,
  MACHINE_CHART_LABELS,
  RECORD_CALL_CHART_LABELS,
  voicemailChartLabels,
  voicemailMainChartLabels,
} from './presets.js';
export { renderSvg } from './svg.js';

/** The files of one machine's chart, keyed by extension (`json`, `mmd`, `svg`), as `npm run charts` writes them. */
export interface ChartFiles {
  /** The machine's id: the files are `<id>.json`, `<id>.mmd`, `<id>.svg`. */
  readonly id: string;
  readonly json: string;
  readonly mmd: string;
  readonly dot: string;
  readonly svg: string;
}

/**
 * Every chart file of a machine, rendered in memory.
 * @throws TypeError when `machine` is not an XState machine.
 */
export async function chartFiles(machine: AnyStateMachine, options: ChartLabelOptions = {}): Promise<ChartFiles> {
  const chart = chartOf(machine);
  const dot = toDot(chart, options);
  return {
    id: chart.id,
    json: definitionJson(machine),
    mmd: toMermaid(chart, options),
    dot,
    svg: await renderSvg(dot),
  };
}

/**
 * The XState machines among a module's exports (`import * as m from './machines/index.js'`), each once, sorted by
 * machine id.
 * @throws Error when two different machines share an id (their chart files would overwrite each other).
 */
export function machinesOf(moduleExports: Record<string, unknown>): AnyStateMachine[] {
  const byId = new Map<string, AnyStateMachine>();
  for (const name of Object.keys(moduleExports).sort()) {
    const value = moduleExports[name];
    if (!isStateMachine(value)) continue;
    const other = byId.get(value.id);
    if (other && other !== value) throw new Error(`two exported machines share the id "${value.id}"`);
    byId.set(value.id, value);
  }
  return [...byId.keys()].sort().map((id) => byId.get(id)!);
}
