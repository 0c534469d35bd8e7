import { diagramIds } from './ids.js';
import {
  type ChartIndex,
  type ChartLabelOptions,
  chartEdges,
  commonAncestor,
  indexChart,
  isWithin,
  stateDetails,
  stateName,
} from './labels.js';
import type { Chart, ChartState } from './model.js';

/**
 * A Mermaid `stateDiagram-v2` of a chart: the machine as an outer composite state, nested states as composite
 * states, parallel regions separated by `--`, `[*]` for initial and final states, transitions labelled with the
 * event, `[guard]` and `after 5s` (worded by `options.labels`), invoked actors as state descriptions. A transition
 * declared on a composite state that stays inside it (`on: { StasisEnd: '.saving' }`) is listed in that state's
 * label, since Mermaid cannot draw an arrow from a frame into itself; so is a transition without a target (it only
 * runs actions: `on hang-up`), in any state. Deterministic: the same chart always gives the same text.
 */
export function toMermaid(chart: Chart, options: ChartLabelOptions = {}): string {
  const index = indexChart(chart.root);
  const ids = diagramIds(chart.root);
  const idOf = (s: ChartState | string): string => ids.get(typeof s === 'string' ? s : s.id)!;
  const edges = new Map<string, string[]>();
  const inward = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, line: string): void => {
    const list = map.get(key);
    if (list) list.push(line);
    else map.set(key, [line]);
  };

  for (const { transition: t, label: text } of chartEdges(chart.transitions, options)) {
    const source = index.byId.get(t.source)!;
    const label = mermaidText(text);
    const composite = source.children.length > 0;
    const targets = t.targets.length > 0 ? t.targets : [undefined];
    for (const target of targets) {
      if (target === undefined || (composite && isWithin(index, target, source.id))) {
        const to = target === undefined || target === source.id ? '' : ` → ${stateName(index.byId.get(target)!)}`;
        push(inward, source.id, `on ${label}${to}`);
        continue;
      }
      const to = target ?? source.id;
      push(edges, blockFor(index, source.id, to), `${idOf(source)} --> ${idOf(to)} : ${label}`);
    }
  }

  const lines = ['stateDiagram-v2'];
  const emit = (state: ChartState, depth: number): void => {
    const pad = '  '.repeat(depth);
    const name = mermaidText(stateName(state));
    const details = stateDetails(state, options).map(mermaidText);
    const id = idOf(state);
    if (state.children.length === 0) {
      if (name !== id) lines.push(`${pad}state "${name}" as ${id}`);
      else lines.push(`${pad}${id}`);
      for (const line of [...details, ...(inward.get(state.id) ?? [])]) lines.push(`${pad}${id} : ${line}`);
      return;
    }
    const label = [name, ...details, ...(inward.get(state.id) ?? [])].join('<br/>');
    if (label !== id) lines.push(`${pad}state "${label}" as ${id}`);
    lines.push(`${pad}state ${id} {`);
    const inner = `${pad}  `;
    if (state.type === 'parallel') {
      state.children.forEach((region, i) => {
        if (i > 0) lines.push(`${inner}--`);
        emit(region, depth + 1);
      });
    } else {
      if (state.initial) lines.push(`${inner}[*] --> ${idOf(state.initial)}`);
      for (const child of state.children) emit(child, depth + 1);
      for (const child of state.children) if (child.type === 'final') lines.push(`${inner}${idOf(child)} --> [*]`);
    }
    for (const edge of edges.get(state.id) ?? []) lines.push(`${inner}${edge}`);
    lines.push(`${pad}}`);
  };
  emit(chart.root, 1);
  for (const edge of edges.get('') ?? []) lines.push(`  ${edge}`);
  return `${lines.join('\n')}\n`;
}

// The block an arrow is written in: the innermost frame around both ends that is neither end and not a parallel
// state (whose body holds only its regions); '' is the top level, outside the machine's frame.
function blockFor(index: ChartIndex, from: string, to: string): string {
  let block: ChartState | undefined = commonAncestor(index, from, to);
  while (block && (block.id === from || block.id === to || block.type === 'parallel')) {
    block = index.parent.get(block.id);
  }
  return block?.id ?? '';
}

// Mermaid reads `;` as the end of a statement and `"` ends a quoted label: write them as its entity codes. A `#` is
// written as it is: it starts an entity code only when a `;` follows a word after it, and no bare `;` is left.
function mermaidText(text: string): string {
  return text.replace(/[;"\n]/g, (c) => (c === ';' ? '#59;' : c === '"' ? '#quot;' : ' '));
}
