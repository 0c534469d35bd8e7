import { diagramIds } from './ids.js';
import {
  type ChartIndex,
  type ChartLabelOptions,
  chartEdges,
  indexChart,
  isWithin,
  stateDetails,
  stateName,
} from './labels.js';
import type { Chart, ChartState } from './model.js';

/** Options of the Graphviz pictures: the labels, and the path a call takes when all goes well. */
export interface DotOptions extends ChartLabelOptions {
  /**
   * The states a call passes through when all goes well, as paths from the machine (`['greeting', 'recording.active',
   * 'saving']`): the arrows between consecutive ones are drawn bold and in colour, and laid out as the picture's spine.
   * Unknown paths are ignored.
   */
  readonly happyPath?: readonly string[];
  /**
   * Room between states in inches: side by side (`nodesep`, default 0.3) and between ranks (`ranksep`, default 0.35
   * for the detail, 0.4 for the overview).
   */
  readonly spacing?: { readonly nodesep: number; readonly ranksep: number };
}

// How the pictures look: one place, so that the detail and the overview read alike.
const FONT = 'Helvetica';
const HAPPY = '#1a5fb4';
const FRAME = '#5e5c64';
const FILLS = ['#f6f5f4', '#eceaf4', '#e4eef8', '#f4eee4'];
// Edge labels are wrapped at about this many characters (before a guard, or at `&&` / `||` inside one).
const WRAP = 26;

/**
 * A Graphviz DOT digraph of a chart, every state drawn: every non-atomic state is a cluster with a visible frame and
 * its name (the machine itself the outermost), parallel regions are dashed clusters, a black dot points at each
 * initial state, final states have a double border, transitions are labelled with the event, `[guard]` and `after
 * 5s` (worded by `options.labels`), and invoked actors are listed in their state. Arrows into a compound state end
 * at its frame, arrows out of one start at its frame (`compound=true` with `lhead`/`ltail`; they leave from the
 * frame's bottom); several transitions between the same two states are one arrow with one label line each; long
 * labels are wrapped. A transition that stays inside the state it is declared on, or has no target (it only runs
 * actions), is listed in that state's label. The `happyPath` is drawn bold. Deterministic.
 */
export function toDot(chart: Chart, options: DotOptions = {}): string {
  const index = indexChart(chart.root);
  const ids = diagramIds(chart.root);
  const idOf = (id: string): string => ids.get(id)!;
  const isCluster = (s: ChartState): boolean => s.children.length > 0;
  // Where an arrow ends (`in`) or starts (`out`) for a state: the node itself, or a point inside the state's cluster
  // (the initial dot near its top, an invisible point below all its children).
  const inAnchor = (s: ChartState): string => (isCluster(s) ? `${idOf(s.id)}__anchor` : idOf(s.id));
  const outAnchor = (s: ChartState): string => (isCluster(s) ? `${idOf(s.id)}__out` : idOf(s.id));
  const happy = happyPairs(chart, index, options.happyPath);
  const inward = new Map<string, string[]>();
  const edges = new Map<
    string,
    { from: string; to: string; attrs: string[]; labels: string[]; happy: boolean; copy?: string }
  >();

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
      const to = index.byId.get(target)!;
      const attrs: string[] = [];
      if (isCluster(to) && !isWithin(index, source.id, to.id)) attrs.push(`lhead=${quote(`cluster_${idOf(to.id)}`)}`);
      if (isCluster(source) && !isWithin(index, to.id, source.id)) {
        attrs.push(`ltail=${quote(`cluster_${idOf(source.id)}`)}`);
      }
      const from = source.id === to.id ? inAnchor(source) : outAnchor(source);
      const key = `${from}\n${inAnchor(to)}\n${attrs.join(',')}`;
      const edge = edges.get(key) ?? { from, to: inAnchor(to), attrs, labels: [], happy: false };
      edge.labels.push(label);
      edge.happy ||= happy.has(`${source.id}\n${to.id}`);
      edges.set(key, edge);
    }
  }

  const copies = copyFinalStates(chart, [...edges.values()], (s) => inAnchor(s));

  const lines = [
    `digraph ${quote(chart.id)} {`,
    '  compound=true;',
    '  newrank=true;',
    `  fontname=${quote(FONT)};`,
    `  nodesep=${options.spacing?.nodesep ?? 0.3};`,
    `  ranksep=${options.spacing?.ranksep ?? 0.35};`,
    '  pad=0.1;',
    `  node [fontname=${quote(FONT)}, fontsize=12, shape=box, style="rounded,filled", fillcolor="white", margin="0.12,0.04"];`,
    `  edge [fontname=${quote(FONT)}, fontsize=10, color="#3d3846", arrowsize=0.7];`,
  ];
  const emit = (state: ChartState, depth: number, parent: ChartState | undefined): void => {
    const pad = '  '.repeat(depth);
    const label = [stateName(state), ...stateDetails(state, options), ...(inward.get(state.id) ?? [])].join('\n');
    if (!isCluster(state)) {
      const attrs = [`label=${quote(label)}`];
      if (state.type === 'final') attrs.push('peripheries=2');
      if (state.type === 'history') attrs.push('shape=circle', 'style=solid');
      const bold = [`color=${quote(HAPPY)}`, 'penwidth=2'];
      const copiesOf = copies.get(state.id);
      if (copiesOf === undefined) {
        if (happy.states.has(state.id)) attrs.push(...bold);
        lines.push(`${pad}${quote(idOf(state.id))} [${attrs.join(', ')}];`);
        return;
      }
      // Of the copies, only the one the happy path enters is on it.
      for (const id of copiesOf) {
        const on = happy.states.has(state.id) && [...edges.values()].some((e) => e.copy === id && e.happy);
        lines.push(`${pad}${quote(id)} [${[...attrs, ...(on ? bold : [])].join(', ')}];`);
      }
      return;
    }
    lines.push(`${pad}subgraph ${quote(`cluster_${idOf(state.id)}`)} {`);
    const inner = `${pad}  `;
    lines.push(`${inner}label=${quote(label)};`);
    lines.push(`${inner}labeljust=l;`);
    lines.push(`${inner}fontsize=13;`);
    lines.push(`${inner}color=${quote(FRAME)};`);
    lines.push(`${inner}penwidth=1.4;`);
    lines.push(`${inner}fillcolor=${quote(FILLS[(depth - 1) % FILLS.length]!)};`);
    lines.push(parent?.type === 'parallel' ? `${inner}style="dashed,filled";` : `${inner}style="rounded,filled";`);
    const point = quote(inAnchor(state));
    if (state.initial) {
      lines.push(`${inner}${point} [shape=point, width=0.1, label="", style=filled, fillcolor=black];`);
      const first = index.byId.get(state.initial)!;
      const head = isCluster(first) ? ` [lhead=${quote(`cluster_${idOf(first.id)}`)}]` : '';
      lines.push(`${inner}${point} -> ${quote(inAnchor(first))}${head};`);
    } else {
      lines.push(`${inner}${point} [shape=point, width=0.01, style=invis, label=""];`);
    }
    for (const child of state.children) emit(child, depth + 1, state);
    // The point arrows leave from: below every child, so that they leave through the frame's bottom.
    const out = quote(outAnchor(state));
    lines.push(`${inner}${out} [shape=point, width=0.01, style=invis, label=""];`);
    for (const child of state.children) {
      for (const id of copies.get(child.id) ?? [outAnchor(child)])
        lines.push(`${inner}${quote(id)} -> ${out} [style=invis];`);
    }
    lines.push(`${pad}}`);
  };
  emit(chart.root, 1, undefined);
  for (const edge of edges.values()) {
    const attrs = [`label=${quote(labelLines(edge.labels))}`, ...edge.attrs];
    if (edge.happy) attrs.push(`color=${quote(HAPPY)}`, `fontcolor=${quote(HAPPY)}`, 'penwidth=2.2', 'weight=8');
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.copy ?? edge.to)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * A Graphviz DOT digraph of a chart's top-level states only: a compound state is one box (with a double border,
 * listing its inner states), every transition between two top-level states (from, to or within them) is an arrow,
 * several between the same two are one arrow with a line each, and transitions inside a compound state are left
 * out. Guards are shown for key presses only (`DTMF # [accept]`), the trigger alone otherwise (`RecordingFinished`),
 * each distinct label once per arrow. The `happyPath` (mapped to top-level states) is drawn bold, as the spine of
 * the picture. Deterministic.
 */
export function toOverviewDot(chart: Chart, options: DotOptions = {}): string {
  const index = indexChart(chart.root);
  const ids = diagramIds(chart.root);
  const top = new Map<string, ChartState>();
  for (const s of chart.root.children) top.set(s.id, s);
  const topOf = (id: string): ChartState | undefined => {
    for (let s: string | undefined = id; s !== undefined; s = index.parent.get(s)?.id) {
      const found = top.get(s);
      if (found) return found;
    }
    return undefined;
  };
  const happy = happyPairs(chart, index, options.happyPath, topOf);
  const edges = new Map<string, { from: string; to: string; labels: string[] }>();
  const everywhere: string[] = [];
  for (const { transition: t, label } of chartEdges(chart.transitions, { ...options, brief: true })) {
    const from = topOf(t.source);
    for (const target of t.targets) {
      const to = topOf(target);
      if (to === undefined) continue;
      if (from === undefined) {
        everywhere.push(`on ${label} → ${stateName(to)}`);
        continue;
      }
      // Inside one compound state: collapsed away. A self-loop on an atomic state stays.
      if (from.id === to.id && (from.children.length > 0 || t.source !== target)) continue;
      const key = `${from.id}\n${to.id}`;
      const edge = edges.get(key) ?? { from: from.id, to: to.id, labels: [] };
      if (!edge.labels.includes(label)) edge.labels.push(label);
      edges.set(key, edge);
    }
  }
  // A state entered from many that leads nowhere else (a final one, or one such as `failed` that only goes on to
  // final states or the happy path) would draw arrows across the whole picture: the arrows into it are written in
  // their source's box instead (`hang-up, onError → hungUp`).
  const endsOnly = (state: ChartState): boolean =>
    [...edges.values()].every(
      (e) => e.from !== state.id || e.to === state.id || happy.states.has(e.to) || top.get(e.to)?.type === 'final',
    );
  const listed = new Map<string, string[]>();
  for (const state of chart.root.children) {
    if (happy.states.has(state.id) || !endsOnly(state)) continue;
    const into = [...edges.entries()].filter(([, e]) => e.to === state.id && e.from !== e.to);
    if (new Set(into.map(([, e]) => e.from)).size < COPY_FROM) continue;
    for (const [key, e] of into) {
      const triggers = [...new Set(e.labels.map((l) => l.replace(/^(onDone|onError)\([^)]*\)/, '$1')))];
      const list = listed.get(e.from) ?? [];
      list.push(`${triggers.join(', ')} → ${stateName(state)}`);
      listed.set(e.from, list);
      edges.delete(key);
    }
  }
  const lines = [
    `digraph ${quote(`${chart.id}_overview`)} {`,
    `  fontname=${quote(FONT)};`,
    '  newrank=true;',
    `  nodesep=${options.spacing?.nodesep ?? 0.3};`,
    `  ranksep=${options.spacing?.ranksep ?? 0.4};`,
    '  pad=0.1;',
    `  label=${quote([`${chart.id}: overview`, ...everywhere].join('\n'))};`,
    '  labelloc=t;',
    '  labeljust=l;',
    '  fontsize=16;',
    `  node [fontname=${quote(FONT)}, fontsize=14, shape=box, style="rounded,filled", fillcolor="white", margin="0.15,0.06"];`,
    `  edge [fontname=${quote(FONT)}, fontsize=12, color="#3d3846", arrowsize=0.8];`,
    '  start [shape=point, width=0.14, label="", style=filled, fillcolor=black];',
  ];
  for (const s of chart.root.children) {
    const attrs = [`label=${quote([stateName(s), ...overviewDetails(s), ...(listed.get(s.id) ?? [])].join('\n'))}`];
    if (s.children.length > 0) attrs.push('peripheries=2', `fillcolor=${quote(FILLS[1]!)}`, `color=${quote(FRAME)}`);
    if (s.type === 'final') attrs.push('peripheries=2');
    if (happy.states.has(s.id)) attrs.push(`color=${quote(HAPPY)}`, 'penwidth=2.2');
    lines.push(`  ${quote(ids.get(s.id)!)} [${attrs.join(', ')}];`);
  }
  // A state left with no arrow at all (every arrow into it written in its sources' boxes) goes to the bottom.
  const alone = chart.root.children.filter(
    (c) => c.id !== chart.root.initial && ![...edges.values()].some((e) => e.from === c.id || e.to === c.id),
  );
  if (alone.length > 0) {
    // Beside the last state of the happy path (Graphviz lays out each unconnected part on its own, at the top).
    const path = [...happy.states];
    const last = path.at(-1);
    const before = path.at(-2) ?? chart.root.initial;
    const from = before === undefined ? 'start' : quote(ids.get(topOf(before)!.id)!);
    const names = alone.map((c) => quote(ids.get(c.id)!));
    for (const name of names) lines.push(`  ${from} -> ${name} [style=invis];`);
    if (last !== undefined) lines.push(`  { rank=same; ${quote(ids.get(last)!)}; ${names.join('; ')}; }`);
  }
  if (chart.root.initial) {
    const first = topOf(chart.root.initial)!;
    const style = happy.states.has(first.id) ? ` [color=${quote(HAPPY)}, penwidth=2.2, weight=8]` : '';
    lines.push(`  start -> ${quote(ids.get(first.id)!)}${style};`);
  }
  for (const edge of edges.values()) {
    const attrs = [`label=${quote(labelLines(edge.labels))}`];
    if (happy.has(`${edge.from}\n${edge.to}`)) {
      attrs.push(`color=${quote(HAPPY)}`, `fontcolor=${quote(HAPPY)}`, 'penwidth=2.6', 'weight=8');
    }
    lines.push(`  ${quote(ids.get(edge.from)!)} -> ${quote(ids.get(edge.to)!)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

// A final state entered from this many states or more is drawn once beside each of them (`hungUp`, `hungUp__2`, …),
// so that its arrows stay short instead of crossing the picture.
const COPY_FROM = 3;

// Sets `copy` on the edges into such a final state; returns the node ids drawn for it, by state id.
function copyFinalStates(
  chart: Chart,
  edges: { from: string; to: string; copy?: string }[],
  anchorOf: (s: ChartState) => string,
): Map<string, string[]> {
  const copies = new Map<string, string[]>();
  const ids = diagramIds(chart.root);
  const index = indexChart(chart.root);
  for (const state of index.byId.values()) {
    if (state.type !== 'final') continue;
    const into = edges.filter((e) => e.to === anchorOf(state) && e.from !== e.to);
    const sources = [...new Set(into.map((e) => e.from))];
    if (sources.length < COPY_FROM) continue;
    // The first keeps the state's own id (what the live view lights), the others are numbered from 2.
    const names = sources.map((_, i) => (i === 0 ? ids.get(state.id)! : `${ids.get(state.id)!}__${i + 1}`));
    for (const e of into) e.copy = names[sources.indexOf(e.from)]!;
    copies.set(state.id, names);
  }
  return copies;
}

// The label of an arrow that stands for one or more transitions: one line each (its continuation lines indented),
// left-aligned.
function labelLines(labels: readonly string[]): string {
  return labels.map((label) => `${wrapLabel(label).replace(/\n/g, '\r    ')}\r`).join('');
}

// A compound state in the overview: the states it holds (their names when short).
function overviewDetails(state: ChartState): string[] {
  const lines: string[] = [];
  if (state.children.length === 0) return lines;
  const names = state.children.map(stateName);
  const list = names.join(', ');
  lines.push(list.length <= 34 ? `(${list})` : `(${names.length} states inside)`);
  return lines;
}

interface HappyPairs {
  has(pair: string): boolean;
  readonly states: ReadonlySet<string>;
}

// The `source\ntarget` pairs of the happy path (consecutive states, mapped by `map`) and the states on it.
function happyPairs(
  chart: Chart,
  index: ChartIndex,
  path: readonly string[] | undefined,
  map: (id: string) => ChartState | undefined = (id) => index.byId.get(id),
): HappyPairs {
  const states: string[] = [];
  for (const p of path ?? []) {
    const state = index.byId.get(p === '' ? chart.root.id : `${chart.root.id}.${p}`);
    const mapped = state && map(state.id);
    if (mapped && states.at(-1) !== mapped.id) states.push(mapped.id);
  }
  const pairs = new Set<string>();
  for (let i = 1; i < states.length; i++) pairs.add(`${states[i - 1]}\n${states[i]}`);
  // An arrow from a compound state (or into one) is on the path when the path leaves from (or enters) inside it.
  const ancestors = (id: string): string[] => {
    const out: string[] = [];
    for (let s: string | undefined = id; s !== undefined && s !== chart.root.id; s = index.parent.get(s)?.id) {
      out.push(s);
    }
    return out;
  };
  const widened = new Set<string>();
  for (let i = 1; i < states.length; i++) {
    for (const a of ancestors(states[i - 1]!)) {
      for (const b of ancestors(states[i]!)) {
        if (!isWithin(index, a, b) && !isWithin(index, b, a)) widened.add(`${a}\n${b}`);
      }
    }
  }
  return { has: (pair) => pairs.has(pair) || widened.has(pair), states: new Set(states) };
}

/**
 * A label broken into lines of about {@link WRAP} characters: before the guard's `[`, then at `&&` / `||` inside it.
 */
export function wrapLabel(label: string): string {
  if (label.length <= WRAP) return label;
  const bracket = label.indexOf(' [');
  const pieces =
    bracket > 0 ? [label.slice(0, bracket), ...label.slice(bracket + 1).split(/(?<=&&|\|\|) /)] : label.split(' ');
  const out: string[] = [];
  for (const piece of pieces) {
    const last = out.at(-1);
    if (last !== undefined && last.length + 1 + piece.length <= WRAP && !piece.startsWith('[')) {
      out[out.length - 1] = `${last} ${piece}`;
    } else out.push(piece);
  }
  return out.join('\n');
}

// A DOT string: `\n` ends a centred line, `\r` a left-aligned one (DOT's `\l`).
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\l')}"`;
}
