import { diagramIds } from './ids.js';
import { type ChartLabelOptions, chartEdges, indexChart, isWithin, stateDetails, stateName } from './labels.js';
import type { Chart, ChartState } from './model.js';

/**
 * A Graphviz DOT digraph of a chart: every non-atomic state is a cluster (the machine itself the outermost),
 * parallel regions are dashed clusters, a black dot points at each initial state, final states have a double border,
 * transitions are labelled with the event, `[guard]` and `after 5s` (worded by `options.labels`), and invoked actors
 * are listed in their state. Arrows to and from a compound state end at its frame (`compound=true` with
 * `lhead`/`ltail`); a transition that stays inside the state it is declared on, or has no target (it only runs
 * actions), is listed in that state's label. Deterministic.
 */
export function toDot(chart: Chart, options: ChartLabelOptions = {}): string {
  const index = indexChart(chart.root);
  const ids = diagramIds(chart.root);
  const idOf = (id: string): string => ids.get(id)!;
  const isCluster = (s: ChartState): boolean => s.children.length > 0;
  // Where an arrow starts or ends for a state: the node itself, or a point inside the state's cluster.
  const anchor = (s: ChartState): string => (isCluster(s) ? `${idOf(s.id)}__anchor` : idOf(s.id));
  const inward = new Map<string, string[]>();
  const edgeLines: string[] = [];

  for (const { transition: t, label } of chartEdges(chart.transitions, options)) {
    const source = index.byId.get(t.source)!;
    for (const target of t.targets.length > 0 ? t.targets : [undefined]) {
      if (target === undefined || (isCluster(source) && isWithin(index, target, source.id))) {
        const to = target === undefined || target === source.id ? '' : ` → ${stateName(index.byId.get(target)!)}`;
        const list = inward.get(source.id) ?? [];
        list.push(`on ${label}${to}`);
        inward.set(source.id, list);
        continue;
      }
      const to = index.byId.get(target ?? source.id)!;
      const attrs = [`label=${quote(label)}`];
      if (isCluster(to) && !isWithin(index, source.id, to.id)) attrs.push(`lhead=${quote(`cluster_${idOf(to.id)}`)}`);
      if (isCluster(source) && !isWithin(index, to.id, source.id)) {
        attrs.push(`ltail=${quote(`cluster_${idOf(source.id)}`)}`);
      }
      edgeLines.push(`  ${quote(anchor(source))} -> ${quote(anchor(to))} [${attrs.join(', ')}];`);
    }
  }

  const lines = [
    `digraph ${quote(chart.id)} {`,
    '  compound=true;',
    '  fontname="Helvetica";',
    '  node [fontname="Helvetica", fontsize=11, shape=box, style=rounded];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const emit = (state: ChartState, depth: number, parent: ChartState | undefined): void => {
    const pad = '  '.repeat(depth);
    const label = [stateName(state), ...stateDetails(state, options), ...(inward.get(state.id) ?? [])].join('\n');
    if (!isCluster(state)) {
      const attrs = [`label=${quote(label)}`];
      if (state.type === 'final') attrs.push('peripheries=2');
      if (state.type === 'history') attrs.push('shape=circle', 'style=solid');
      lines.push(`${pad}${quote(idOf(state.id))} [${attrs.join(', ')}];`);
      return;
    }
    lines.push(`${pad}subgraph ${quote(`cluster_${idOf(state.id)}`)} {`);
    const inner = `${pad}  `;
    lines.push(`${inner}label=${quote(label)};`);
    lines.push(`${inner}labeljust=l;`);
    lines.push(parent?.type === 'parallel' ? `${inner}style=dashed;` : `${inner}style=rounded;`);
    const point = quote(anchor(state));
    if (state.initial) {
      lines.push(`${inner}${point} [shape=point, width=0.12, label=""];`);
      const first = index.byId.get(state.initial)!;
      const head = isCluster(first) ? ` [lhead=${quote(`cluster_${idOf(first.id)}`)}]` : '';
      lines.push(`${inner}${point} -> ${quote(anchor(first))}${head};`);
    } else {
      lines.push(`${inner}${point} [shape=point, width=0.01, style=invis, label=""];`);
    }
    for (const child of state.children) emit(child, depth + 1, state);
    lines.push(`${pad}}`);
  };
  emit(chart.root, 1, undefined);
  lines.push(...edgeLines, '}');
  return `${lines.join('\n')}\n`;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
