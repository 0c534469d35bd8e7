/**
 * Statecharts people can see: a machine as deterministic JSON, a Mermaid state diagram, Graphviz DOT and SVG.
 * Development tooling (`npm run charts`), deliberately outside the library's entry points so that the runtime
 * never loads Graphviz.
 */
import type { AnyStateMachine } from 'xstate';
import { definitionJson } from './definition.js';
import { type DotOptions, toDot, toOverviewDot } from './dot.js';
import { toMermaid } from './mermaid.js';
import { chartOf, isStateMachine } from './model.js';
import { readabilityProblems, readSvg } from './readability.js';
import { renderSvg } from './svg.js';

export { definitionJson, definitionOf, type Json } from './definition.js';
export { type DotOptions, toDot, toOverviewDot, wrapLabel } from './dot.js';
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
  ARI_EVENT_LABELS,
  MACHINE_CHART_LABELS,
  MACHINE_HAPPY_PATHS,
  RECORD_CALL_CHART_LABELS,
  voicemailChartLabels,
  voicemailMainChartLabels,
} from './presets.js';
export {
  distanceToFrame,
  type ReadabilityProblem,
  readabilityProblems,
  readSvg,
  type SvgGroup,
  type SvgLayout,
  type SvgTextBox,
  textWidth,
} from './readability.js';
export { renderSvg } from './svg.js';

/**
 * The files of one machine's chart, as `npm run charts` writes them: `<id>.json`, `<id>.mmd`, `<id>.svg` (every
 * state) and `<id>.overview.svg` (top-level states only).
 */
export interface ChartFiles {
  /** The machine's id. */
  readonly id: string;
  readonly json: string;
  readonly mmd: string;
  readonly dot: string;
  readonly svg: string;
  readonly overviewDot: string;
  readonly overviewSvg: string;
}

/**
 * Every chart file of a machine, rendered in memory.
 * @throws TypeError when `machine` is not an XState machine.
 */
export async function chartFiles(machine: AnyStateMachine, options: DotOptions = {}): Promise<ChartFiles> {
  const chart = chartOf(machine);
  const [dot, svg] = await readableLayout((spacing) => toDot(chart, { ...options, ...spacing }), options);
  const [overviewDot, overviewSvg] = await readableLayout(
    (spacing) => toOverviewDot(chart, { ...options, ...spacing }),
    options,
  );
  return {
    id: chart.id,
    json: definitionJson(machine),
    mmd: toMermaid(chart, options),
    dot,
    svg,
    overviewDot,
    overviewSvg,
  };
}

// Spacings tried in turn (nodesep, ranksep in inches) until a layout has no overlapping or cut-off text: Graphviz
// places edge labels well, but not always clear of a frame's name.
const SPACINGS = [
  { nodesep: 0.3, ranksep: 0.35 },
  { nodesep: 0.4, ranksep: 0.35 },
  { nodesep: 0.3, ranksep: 0.5 },
  { nodesep: 0.45, ranksep: 0.5 },
  { nodesep: 0.6, ranksep: 0.6 },
];

// The first of SPACINGS whose picture can be read (unless `options.spacing` says which), else the one with the
// fewest problems: its DOT and SVG. A frame whose name an arrow's label covers gets its name on the right instead.
async function readableLayout(
  dotOf: (spacing: Pick<DotOptions, 'spacing'>) => string,
  options: DotOptions,
): Promise<[string, string]> {
  let best: [string, string, number] | undefined;
  for (const spacing of options.spacing ? [options.spacing] : SPACINGS) {
    let dot = dotOf({ spacing });
    for (let attempt = 0; attempt < 3; attempt++) {
      const svg = await renderSvg(dot);
      const problems = readabilityProblems(readSvg(svg));
      if (problems.length === 0) return [dot, svg];
      if (best === undefined || problems.length < best[2]) best = [dot, svg, problems.length];
      const frames = new Set(problems.flatMap((p) => p.boxes.filter((b) => b.kind === 'cluster').map((b) => b.owner)));
      const moved = [...frames].reduce((text, frame) => frameNameRight(text, frame), dot);
      if (moved === dot) break;
      dot = moved;
    }
  }
  return [best![0], best![1]];
}

// The DOT with the name of cluster `frame` drawn at the right of its frame.
function frameNameRight(dot: string, frame: string): string {
  const start = dot.indexOf(`subgraph "${frame}" {`);
  if (start < 0) return dot;
  const at = dot.indexOf('labeljust=l;', start);
  return at < 0 ? dot : `${dot.slice(0, at)}labeljust=r;${dot.slice(at + 'labeljust=l;'.length)}`;
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
