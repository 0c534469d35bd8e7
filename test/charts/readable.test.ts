import { describe, expect, it } from 'vitest';
import * as machineExports from '../../machines/index.js';
import { diagramIds } from '../../src/charts/ids.js';
import {
  type Chart,
  type ChartFiles,
  type ChartState,
  chartEdges,
  chartFiles,
  chartOf,
  distanceToFrame,
  MACHINE_CHART_LABELS,
  MACHINE_HAPPY_PATHS,
  machinesOf,
  readabilityProblems,
  readSvg,
  renderSvg,
  type SvgGroup,
  type SvgLayout,
  textWidth,
} from '../../src/charts/index.js';

// The pictures in docs/charts as a reader sees them: every label readable (no text over another, none cut off at the
// edge), every compound state a frame with its name, every state and every transition somewhere in the detail, the
// overview made of the top-level states only, at a size that reads at the README's width.

const machines = machinesOf(machineExports as Record<string, unknown>);

async function filesOf(id: string): Promise<ChartFiles> {
  const machine = machines.find((m) => m.id === id)!;
  const labels = MACHINE_CHART_LABELS[id];
  const happyPath = MACHINE_HAPPY_PATHS[id];
  return chartFiles(machine, { ...(labels ? { labels } : {}), ...(happyPath ? { happyPath } : {}) });
}

const states = (root: ChartState): ChartState[] => [root, ...root.children.flatMap(states)];
const lines = (g: SvgGroup): string => g.texts.map((t) => t.trim()).join(' ');
// A node drawn for a state: its own id, or one of its copies (`hungUp__2`) beside the states that enter it.
const drawnAs = (title: string, id: string): boolean => title === id || new RegExp(`^${id}__\\d+$`).test(title);

describe.each(machines.map((m) => m.id))('the %s charts', (id) => {
  let files: ChartFiles;
  let chart: Chart;
  let detail: SvgLayout;
  let overview: SvgLayout;
  const ids = (): ReadonlyMap<string, string> => diagramIds(chart.root);

  it('render', async () => {
    files = await filesOf(id);
    chart = chartOf(machines.find((m) => m.id === id)!);
    detail = readSvg(files.svg);
    overview = readSvg(files.overviewSvg);
    expect(detail.texts.length).toBeGreaterThan(0);
  });

  it('have no text over other text and none cut off at the edge', () => {
    expect(readabilityProblems(detail).map((p) => p.message)).toEqual([]);
    expect(readabilityProblems(overview).map((p) => p.message)).toEqual([]);
  });

  it('draw every compound state as a visible frame with its name, and every other state as a named box', () => {
    for (const state of states(chart.root)) {
      const name = state.type === 'history' ? (state.history === 'deep' ? 'H*' : 'H') : state.key;
      const diagramId = ids().get(state.id)!;
      if (state.children.length > 0) {
        const frame = detail.groups.find((g) => g.kind === 'cluster' && g.title === `cluster_${diagramId}`);
        expect(frame, `frame of ${state.id}`).toBeDefined();
        expect(frame!.outlined, `frame of ${state.id} has a border`).toBe(true);
        expect(frame!.texts[0], `frame of ${state.id} is named`).toBe(name);
      } else {
        const boxes = detail.groups.filter((g) => g.kind === 'node' && drawnAs(g.title, diagramId));
        expect(boxes.length, `box of ${state.id}`).toBeGreaterThan(0);
        for (const box of boxes) {
          expect(box.texts[0]).toBe(name);
          expect(box.outlined).toBe(true);
        }
      }
    }
  });

  it('show every transition: an arrow between the right states with its label, or a line in its state', () => {
    const byId = new Map(states(chart.root).map((s) => [s.id, s]));
    const anchor = (s: ChartState, end: 'in' | 'out'): string => {
      const d = ids().get(s.id)!;
      return s.children.length === 0 ? d : end === 'in' ? `${d}__anchor` : `${d}__out`;
    };
    const edges = detail.groups.filter((g) => g.kind === 'edge');
    for (const { transition: t, label } of chartEdges(chart.transitions, { labels: MACHINE_CHART_LABELS[id] })) {
      const source = byId.get(t.source)!;
      const owner = detail.groups.find(
        (g) =>
          (g.kind === 'node' || g.kind === 'cluster') &&
          [ids().get(t.source), `cluster_${ids().get(t.source)}`].includes(g.title),
      );
      const listed = owner?.texts.some((line) => line === `on ${label}` || line.startsWith(`on ${label} → `));
      if (t.targets.length === 0) {
        expect(listed, `${t.source} lists "on ${label}"`).toBe(true);
        continue;
      }
      for (const target of t.targets) {
        const to = byId.get(target)!;
        const inside = source.children.length > 0 && (target + '.').startsWith(`${source.id}.`);
        if (inside || (target === source.id && source.children.length > 0)) {
          expect(listed, `${t.source} lists "on ${label}"`).toBe(true);
          continue;
        }
        const from = target === source.id ? anchor(source, 'in') : anchor(source, 'out');
        const arrow = edges.find((g) => {
          const [tail, head] = g.title.split('->');
          return (
            tail === from &&
            head !== undefined &&
            drawnAs(head, anchor(to, 'in')) &&
            lines(g).includes(label.replace(/\s+/g, ' '))
          );
        });
        expect(arrow, `arrow ${from} -> ${anchor(to, 'in')} labelled "${label}"`).toBeDefined();
      }
    }
  });

  it('start the arrows out of a compound state, and end those into one, at its frame', () => {
    const frames = new Map(detail.groups.filter((g) => g.kind === 'cluster').map((g) => [g.title, g.box!]));
    let checked = 0;
    for (const edge of detail.groups.filter((g) => g.kind === 'edge' && g.texts.length > 0)) {
      const [tail, head] = edge.title.split('->') as [string, string];
      // (An arrow from inside a frame to the frame itself re-enters it: it ends at its initial dot.)
      const inside = (p: { x: number; y: number }, f: { x0: number; y0: number; x1: number; y1: number }): boolean =>
        p.x > f.x0 && p.x < f.x1 && p.y > f.y0 && p.y < f.y1;
      if (tail.endsWith('__out')) {
        const frame = frames.get(`cluster_${tail.slice(0, -'__out'.length)}`)!;
        expect(distanceToFrame(edge.start!, frame), `${edge.title} starts at the frame`).toBeLessThan(5);
        checked++;
      }
      if (head.endsWith('__anchor')) {
        const frame = frames.get(`cluster_${head.slice(0, -'__anchor'.length)}`)!;
        if (inside(edge.start!, frame)) continue;
        const gap = Math.min(distanceToFrame(edge.end!, frame), distanceToFrame(edge.lineEnd!, frame));
        expect(gap, `${edge.title} ends at the frame`).toBeLessThan(5);
        checked++;
      }
    }
    // Every machine with states inside states has arrows to check.
    if (states(chart.root).some((s) => s !== chart.root && s.children.length > 0)) expect(checked).toBeGreaterThan(0);
  });

  it('give an overview of the top-level states only, compound ones as one box with a double border', () => {
    const top = new Set(chart.root.children.map((s) => ids().get(s.id)!));
    const nodes = overview.groups.filter((g) => g.kind === 'node' && g.title !== 'start');
    for (const node of nodes) expect(top.has(node.title.replace(/__\d+$/, '')), node.title).toBe(true);
    expect(overview.groups.filter((g) => g.kind === 'cluster')).toEqual([]);
    for (const state of chart.root.children) {
      const drawn = nodes.filter((g) => drawnAs(g.title, ids().get(state.id)!));
      expect(drawn.length, state.id).toBeGreaterThan(0);
      expect(drawn[0]!.texts[0]).toBe(state.key);
    }
  });

  it('mark the happy path in the overview: an arrow in its colour between each two top-level states on it', () => {
    const path = MACHINE_HAPPY_PATHS[id];
    if (path === undefined) return;
    const tops = path.map((p) => ids().get(`${chart.root.id}.${p.split('.')[0]}`)!);
    const steps = tops.filter((t, i) => t !== tops[i - 1]);
    const bold = new Set(
      overview.groups.filter((g) => g.kind === 'edge' && g.stroke === '#1a5fb4').map((g) => g.title),
    );
    expect(bold.has(`start->${steps[0]}`)).toBe(true);
    for (let i = 1; i < steps.length; i++)
      expect(bold, `${steps[i - 1]} -> ${steps[i]}`).toContain(`${steps[i - 1]}->${steps[i]}`);
    expect(bold.size).toBe(steps.length);
  });

  it('read at the README’s width: the smallest text of the overviews shown there at least 8 px when 900 px wide', () => {
    const smallest = Math.min(...overview.texts.map((t) => t.fontSize));
    // The README shows the voicemail and recorder overviews; the mailbox menu's is larger, linked from docs/charts.
    const minimum = id === 'voicemailMain' ? 5 : 8;
    expect((smallest * 900) / overview.width).toBeGreaterThanOrEqual(minimum);
    expect(overview.width).toBeLessThan(2200);
  });
});

describe('readabilityProblems', () => {
  it('finds labels drawn over each other and labels cut off at the edge', async () => {
    // Graphviz's neato with pinned positions: two labels at nearly the same place, one past the right edge.
    const svg = await renderSvg(
      [
        'graph { layout=neato; node [shape=plaintext, fontname="Helvetica", fontsize=12];',
        'a [label="RecordingFinished [current take]", pos="0,0!"];',
        'b [label="DTMF * [rerecord]", pos="0.3,0.05!"];',
        'c [label="far", pos="4,3!"]; }',
      ].join('\n'),
    );
    const problems = readabilityProblems(readSvg(svg));
    expect(problems.map((p) => p.kind)).toEqual(['overlap']);
    expect(problems[0]!.message).toContain('"RecordingFinished [current take]"');
    const clipped = svg.replace(/<svg width="(\d+)pt"/, (_, w: string) => `<svg width="${Number(w) - 40}pt"`);
    expect(readabilityProblems(readSvg(clipped)).map((p) => p.kind)).toContain('clipped');
  });

  it('finds labels that touch, which read as one run of words', async () => {
    const run = (gapEm: number): string =>
      [
        '<svg width="400pt" height="40pt" viewBox="0.00 0.00 400.00 40.00">',
        '<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 36)"><title>g</title>',
        '<g id="edge1" class="edge"><title>a&#45;&gt;b</title>',
        '<text text-anchor="start" x="0" y="-10" font-size="10.00">DTMF * [rerecord]</text></g>',
        '<g id="edge2" class="edge"><title>a&#45;&gt;c</title>',
        `<text text-anchor="start" x="${textWidth('DTMF * [rerecord]', 10) + gapEm * 10}" y="-10" font-size="10.00">RecordingFinished</text></g>`,
        '</g></svg>',
      ].join('\n');
    expect(readabilityProblems(readSvg(run(0))).map((p) => p.kind)).toEqual(['overlap']);
    expect(readabilityProblems(readSvg(run(1)))).toEqual([]);
  });

  it('estimates text widths as Helvetica sets them', () => {
    // Helvetica: "m" is 833/1000 em, "i" 222/1000, a digit 556/1000.
    expect(textWidth('m', 10)).toBeCloseTo(8.33);
    expect(textWidth('i', 10)).toBeCloseTo(2.22);
    expect(textWidth('2024', 12)).toBeCloseTo(4 * 6.672);
  });
});
