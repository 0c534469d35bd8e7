import { describe, expect, it } from 'vitest';
import { and, assign, fromCallback, fromPromise, not, setup } from 'xstate';
import {
  chartFiles,
  chartOf,
  definitionJson,
  definitionOf,
  machinesOf,
  renderSvg,
  toDot,
  toMermaid,
} from '../../src/charts/index.js';

// A machine with everything a chart must show: nested and parallel states, guards (named, composed, inline),
// named and literal delays, invoked actors with onDone/onError, eventless transitions, final and history states.
const rich = setup({
  types: {
    events: {} as { type: 'DIGIT'; digit: string } | { type: 'HANGUP' } | { type: 'PAUSE' } | { type: 'RESUME' },
  },
  guards: { isPound: () => true, hasMessage: () => true, tooShort: () => false },
  delays: { noInput: 5000, backoff: () => 250 },
  actors: {
    recordMessage: fromPromise(async () => 'ok'),
    keepAlive: fromCallback(() => () => {}),
  },
  actions: { beep: () => {}, stop: () => {} },
}).createMachine({
  id: 'rich',
  initial: 'greeting',
  on: { HANGUP: '.hungUp' },
  states: {
    greeting: {
      entry: 'beep',
      on: {
        DIGIT: [
          { guard: 'isPound', target: 'call' },
          { guard: ({ event }) => event.digit === '0', target: 'done' },
        ],
      },
      after: { noInput: 'call', 90000: 'done' },
    },
    call: {
      type: 'parallel',
      states: {
        recorder: {
          initial: 'recording',
          states: {
            recording: {
              invoke: { src: 'recordMessage', onDone: 'saved', onError: 'failed' },
              on: { PAUSE: 'paused' },
              exit: 'stop',
            },
            paused: { on: { RESUME: 'recording' }, after: { backoff: 'recording' } },
            saved: { type: 'final' },
            failed: { type: 'final' },
            hist: { type: 'history', history: 'deep' },
          },
        },
        line: {
          initial: 'up',
          states: {
            up: { invoke: { src: 'keepAlive' }, on: { DIGIT: { actions: assign({}) } } },
          },
        },
      },
      onDone: 'checking',
    },
    checking: {
      always: [{ guard: and(['hasMessage', not('tooShort')]), target: 'done' }, { target: 'greeting' }],
    },
    hungUp: { type: 'final' },
    done: { type: 'final' },
  },
});

describe('chartOf', () => {
  const chart = chartOf(rich);

  it('keeps the hierarchy, the initial states and the state types', () => {
    expect(chart.root.children.map((s) => [s.key, s.type])).toEqual([
      ['greeting', 'atomic'],
      ['call', 'parallel'],
      ['checking', 'atomic'],
      ['hungUp', 'final'],
      ['done', 'final'],
    ]);
    expect(chart.root.initial).toBe('rich.greeting');
    const recorder = chart.root.children[1]!.children[0]!;
    expect(recorder.initial).toBe('rich.call.recorder.recording');
    expect(recorder.children.at(-1)).toMatchObject({ type: 'history', history: 'deep' });
  });

  it('labels guards (named, composed, inline), delays (named, computed, literal) and invoked actors', () => {
    const labels = chart.transitions.map((t) => [t.source, t.kind, t.event, t.guard, t.delay, t.targets]);
    expect(labels).toContainEqual(['rich.greeting', 'event', 'DIGIT', 'isPound', undefined, ['rich.call']]);
    expect(labels).toContainEqual(['rich.greeting', 'event', 'DIGIT', 'inline', undefined, ['rich.done']]);
    expect(labels).toContainEqual(['rich.greeting', 'after', '', undefined, '5s', ['rich.call']]);
    expect(labels).toContainEqual(['rich.greeting', 'after', '', undefined, '90s', ['rich.done']]);
    expect(labels).toContainEqual([
      'rich.call.recorder.paused',
      'after',
      '',
      undefined,
      'backoff',
      ['rich.call.recorder.recording'],
    ]);
    expect(labels).toContainEqual(['rich.checking', 'always', '', 'hasMessage && !tooShort', undefined, ['rich.done']]);
    expect(labels).toContainEqual([
      'rich.call.recorder.recording',
      'done',
      'recordMessage',
      undefined,
      undefined,
      ['rich.call.recorder.saved'],
    ]);
    expect(labels).toContainEqual([
      'rich.call.recorder.recording',
      'error',
      'recordMessage',
      undefined,
      undefined,
      ['rich.call.recorder.failed'],
    ]);
    expect(labels).toContainEqual(['rich.call', 'done', '', undefined, undefined, ['rich.checking']]);
    expect(labels).toContainEqual(['rich.call.line.up', 'event', 'DIGIT', undefined, undefined, []]);
    const recording = chart.root.children[1]!.children[0]!.children[0]!;
    expect(recording.invoke).toEqual(['recordMessage']);
    expect(recording.exit).toEqual(['stop']);
    // The timers XState adds for `after` are not the machine's own actions.
    expect(chart.root.children[0]!.entry).toEqual(['beep']);
    expect(chart.root.children[0]!.exit).toEqual([]);
  });

  it('rejects what is not a machine', () => {
    expect(() => chartOf({} as never)).toThrow(TypeError);
    expect(() => definitionOf({ id: 'x' } as never)).toThrow(/expected an XState machine/);
  });
});

describe('toMermaid', () => {
  const mmd = toMermaid(chartOf(rich));

  it('draws composite states, parallel regions, initial and final states and labelled transitions', () => {
    expect(mmd.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(mmd).toContain('  state rich {\n    [*] --> greeting\n');
    expect(mmd).toMatch(/state call \{\n\s+state recorder \{[\s\S]*\n\s+--\n\s+state line \{/);
    expect(mmd).toContain('[*] --> recording');
    expect(mmd).toContain('hungUp --> [*]');
    expect(mmd).toContain('saved --> [*]');
    expect(mmd).toContain('greeting --> call : DIGIT [isPound]');
    expect(mmd).toContain('greeting --> call : after 5s');
    expect(mmd).toContain('greeting --> done : after 90s');
    expect(mmd).toContain('paused --> recording : after backoff');
    expect(mmd).toContain('checking --> done : always [hasMessage && !tooShort]');
    expect(mmd).toContain('recording --> saved : onDone(recordMessage)');
    expect(mmd).toContain('call --> checking : onDone');
    expect(mmd).toContain('recording : invoke: recordMessage');
    expect(mmd).toContain('state "H*" as hist');
    // A transition on the machine itself into one of its states cannot be an arrow out of a frame: it is listed.
    expect(mmd).toContain('state "rich<br/>on HANGUP → hungUp" as rich');
  });

  it('shows entry and exit actions only when asked', () => {
    expect(mmd).not.toContain('entry / beep');
    const withActions = toMermaid(chartOf(rich), { actions: true });
    expect(withActions).toContain('greeting : entry / beep');
    expect(withActions).toContain('recording : exit / stop');
    // A transition without a target only runs actions: it is listed in its state, not drawn as a loop.
    expect(withActions).toContain('up : on DIGIT / assign');
    expect(withActions).not.toContain('up --> up');
  });

  it('escapes what Mermaid would read as syntax', () => {
    const odd = setup({ guards: { 'is#;': () => true } }).createMachine({
      id: 'odd',
      initial: 'a',
      states: { a: { on: { 'x;y': { guard: 'is#;', target: 'end' } } }, end: { type: 'final' } },
    });
    const text = toMermaid(chartOf(odd));
    expect(text).toContain('a --> odd_end : x#59;y [is##59;]');
    expect(text).toContain('state "end" as odd_end');
  });

  it('is deterministic', () => {
    expect(toMermaid(chartOf(rich))).toBe(mmd);
  });
});

describe('toDot and renderSvg', () => {
  const dot = toDot(chartOf(rich));

  it('makes framed clusters of composite states, dashed clusters of parallel regions, marks initial and final states', () => {
    expect(dot).toContain('compound=true;');
    expect(dot).toMatch(
      /subgraph "cluster_recorder" \{\n\s+label="recorder";\n\s+labeljust=l;[^}]*style="dashed,filled";/,
    );
    expect(dot).toMatch(/subgraph "cluster_call" \{\n\s+label="call";\n\s+labeljust=l;[^}]*style="rounded,filled";/);
    expect(dot).toMatch(/subgraph "cluster_line" \{\n\s+label="line";[^}]*color="#5e5c64";[^}]*style="dashed,filled";/);
    expect(dot).toContain('"recorder__anchor" -> "recording";');
    expect(dot).toContain('"done" [label="done", peripheries=2];');
    expect(dot).toContain('"recording" [label="recording\\ninvoke: recordMessage"];');
    // Into a compound state at its frame, out of it from a point below its children, through the frame.
    expect(dot).toContain(
      '"greeting" -> "call__anchor" [label="DIGIT [isPound]\\lafter 5s\\l", lhead="cluster_call"];',
    );
    expect(dot).toContain('"call__out" -> "checking" [label="onDone\\l", ltail="cluster_call"];');
    expect(dot).toContain('"recorder__out" -> "call__out" [style=invis];');
    expect(dot).toContain('"paused" -> "recording" [label="RESUME\\lafter backoff\\l"];');
    // Long labels are wrapped before the guard.
    expect(dot).toContain('"checking" -> "done" [label="always\\l    [hasMessage && !tooShort]\\l"];');
  });

  it('draws a final state entered from many states beside each, and the happy path bold', () => {
    const many = setup({}).createMachine({
      id: 'many',
      initial: 'a',
      states: {
        a: { on: { NEXT: 'b', HANGUP: 'gone' } },
        b: { on: { NEXT: 'c', HANGUP: 'gone' } },
        c: { on: { HANGUP: 'gone' } },
        gone: { type: 'final' },
      },
    });
    const text = toDot(chartOf(many), { happyPath: ['a', 'b', 'c'] });
    expect(text).toContain('"a" -> "gone" [label="HANGUP\\l"];');
    expect(text).toContain('"b" -> "gone__2" [label="HANGUP\\l"];');
    expect(text).toContain('"c" -> "gone__3" [label="HANGUP\\l"];');
    expect(text).toMatch(/"a" -> "b" \[label="NEXT\\l", color="#1a5fb4", [^\]]*penwidth=2.2/);
    expect(text).toMatch(/"b" -> "c" \[label="NEXT\\l", color="#1a5fb4"/);
  });

  it('renders an SVG document that shows every state', async () => {
    const svg = await renderSvg(dot);
    expect(xmlRoot(svg)).toBe('svg');
    for (const name of ['greeting', 'recorder', 'recording', 'paused', 'saved', 'line', 'checking', 'hungUp']) {
      expect(svg).toContain(`>${name}</text>`);
    }
    expect(svg).toContain('>after 5s</text>');
    expect(svg).toContain('DIGIT [isPound]');
  });

  it('reports DOT that Graphviz cannot read', async () => {
    await expect(renderSvg('digraph { a -> }')).rejects.toThrow();
  });
});

describe('definitionOf', () => {
  it('is plain JSON, stable across calls, with inline functions described and eventless transitions kept', () => {
    const text = definitionJson(rich);
    expect(definitionJson(rich)).toBe(text);
    const json = JSON.parse(text);
    expect(json.id).toBe('rich');
    expect(json.states.checking.always[0].guard).toEqual({
      type: 'xstate.and',
      guards: ['hasMessage', { type: 'xstate.not', guards: ['tooShort'] }],
    });
    expect(json.states.greeting.on.DIGIT[1].guard).toEqual({ type: 'inline' });
    expect(json.states.call.states.recorder.states.recording.invoke[0]).toMatchObject({ src: 'recordMessage' });
  });
});

describe('machinesOf and chartFiles', () => {
  it('finds the machines among a module’s exports, once each, sorted by id', () => {
    const other = setup({}).createMachine({ id: 'alpha', initial: 'a', states: { a: {} } });
    expect(machinesOf({ rich, again: rich, other, helper: () => 1, VALUE: 3 }).map((m) => m.id)).toEqual([
      'alpha',
      'rich',
    ]);
    const clash = setup({}).createMachine({ id: 'rich', initial: 'a', states: { a: {} } });
    expect(() => machinesOf({ rich, clash })).toThrow(/share the id "rich"/);
  });

  it('renders all the files of a machine', async () => {
    const files = await chartFiles(rich);
    expect(files.id).toBe('rich');
    expect(files.mmd).toBe(toMermaid(chartOf(rich)));
    expect(files.svg).toContain('<svg');
    expect(JSON.parse(files.json).id).toBe('rich');
  });
});

// A small well-formedness check (balanced tags, one root, nothing outside it but the prolog): returns the root's name.
function xmlRoot(xml: string): string {
  const body = xml
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/<!DOCTYPE[^>]*>/, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  let root: string | undefined;
  let last = 0;
  for (const match of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g)) {
    const [, close, name, , selfClosing] = match;
    const between = body.slice(last, match.index);
    if (stack.length === 0 && between.trim() !== '') throw new Error(`text outside the root: ${between.trim()}`);
    if (/[<>]/.test(between)) throw new Error(`malformed markup near: ${between.slice(0, 40)}`);
    last = match.index + match[0].length;
    if (close) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
      continue;
    }
    if (stack.length === 0) {
      if (root !== undefined) throw new Error('more than one root element');
      root = name!;
    }
    if (!selfClosing) stack.push(name!);
  }
  if (stack.length > 0 || root === undefined || body.slice(last).trim() !== '')
    throw new Error('unterminated document');
  return root;
}
