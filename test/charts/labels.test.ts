import { describe, expect, it } from 'vitest';
import { and, not, or, setup } from 'xstate';
import { DEFAULT_KEYS, voicemailMachine } from '../../machines/index.js';
import {
  type ChartLabels,
  chartEdges,
  chartOf,
  MACHINE_CHART_LABELS,
  toDot,
  toMermaid,
  voicemailChartLabels,
} from '../../src/charts/index.js';

// A keypad menu written the way the voicemail machine is: one parameterised guard for every key.
const menu = setup({
  types: {
    events: {} as { type: 'Dtmf'; digit: string } | { type: 'Hangup' } | { type: 'End' } | { type: 'Done'; id: string },
  },
  guards: {
    isKey: (_, _params: { key: string }) => true,
    isDigit: () => true,
    mine: () => true,
    armed: () => true,
    between: (_, _params: { min: number; max: number }) => true,
  },
  actions: { note: () => {} },
}).createMachine({
  id: 'menu',
  initial: 'main',
  states: {
    main: {
      on: {
        Dtmf: [
          { guard: { type: 'isKey', params: { key: 'accept' } }, target: 'bye' },
          { guard: and([{ type: 'isKey', params: { key: 'enter' } }, 'armed']), target: 'bye' },
          { guard: not({ type: 'isKey', params: { key: 'accept' } }), target: 'other' },
          { guard: or(['armed', { type: 'between', params: { min: 1, max: 3 } }]), target: 'other' },
          { guard: 'isDigit', target: 'main', reenter: true },
        ],
        Hangup: 'bye',
        End: 'bye',
        Done: { guard: 'mine', target: 'other' },
      },
    },
    other: {
      on: { Hangup: { target: 'bye', actions: 'note' }, End: 'bye', Dtmf: { guard: 'isDigit', target: 'main' } },
    },
    bye: { type: 'final', on: { Hangup: {}, End: {} } },
  },
});

const KEYS: Record<string, string> = { accept: '#', enter: '*' };
const labels: ChartLabels = {
  events: { Dtmf: 'DTMF' },
  eventGroups: { 'hang-up': ['Hangup', 'End'] },
  guards: {
    isKey: (params) => ({ on: KEYS[(params as { key: string }).key]!, guard: (params as { key: string }).key }),
    isDigit: () => ({ on: 'digit' }),
    mine: 'my playback',
  },
};

describe('chart labels', () => {
  const chart = chartOf(menu);

  it('keeps every guard as a tree with its params', () => {
    const main = chart.transitions.filter((t) => t.source === 'menu.main' && t.event === 'Dtmf');
    expect(main.map((t) => t.guardSpec)).toEqual([
      { kind: 'named', type: 'isKey', params: { key: 'accept' } },
      {
        kind: 'and',
        guards: [
          { kind: 'named', type: 'isKey', params: { key: 'enter' } },
          { kind: 'named', type: 'armed' },
        ],
      },
      { kind: 'not', guard: { kind: 'named', type: 'isKey', params: { key: 'accept' } } },
      {
        kind: 'or',
        guards: [
          { kind: 'named', type: 'armed' },
          { kind: 'named', type: 'between', params: { min: 1, max: 3 } },
        ],
      },
      { kind: 'named', type: 'isDigit' },
    ]);
    expect(main.map((t) => t.guard)).toEqual([
      'isKey(accept)',
      'isKey(enter) && armed',
      '!isKey(accept)',
      'armed || between(min=1, max=3)',
      'isDigit',
    ]);
  });

  it('without labels draws the names of the code', () => {
    const mmd = toMermaid(chart);
    expect(mmd).toContain('main --> bye : Dtmf [isKey(accept)]');
    expect(mmd).toContain('main --> bye : Hangup');
    expect(mmd).toContain('main --> bye : End');
  });

  it('words events and guards as the labels say, lifting a key guard into the trigger', () => {
    const mmd = toMermaid(chart, { labels });
    expect(mmd).toContain('main --> bye : DTMF # [accept]');
    // Inside `and`, the key still says which event fires; the other parts stay in the brackets.
    expect(mmd).toContain('main --> bye : DTMF * [enter && armed]');
    // Under `!` or `||` it no longer does: all of it stays in the brackets.
    expect(mmd).toContain('main --> other : DTMF [!(# accept)]');
    expect(mmd).toContain('main --> other : DTMF [armed || between(min=1, max=3)]');
    expect(mmd).toContain('main --> main : DTMF digit');
    expect(mmd).toContain('main --> other : Done [my playback]');
    const dot = toDot(chart, { labels });
    // One arrow for the transitions between the same two states, a left-aligned line (`\\l`) for each.
    expect(dot).toMatch(/"main" -> "bye" \[label="DTMF # \[accept\]\\l[^"]*DTMF \* \[enter && armed\]\\l/);
  });

  it('draws alike transitions of a whole event group as one arrow, and only those', () => {
    const mmd = toMermaid(chart, { labels });
    expect(mmd).toContain('main --> bye : hang-up');
    expect(mmd).not.toMatch(/main --> bye : (Hangup|End)/);
    // Targetless ones are merged too, and listed in their state.
    expect(mmd).toContain('bye : on hang-up');
    // In `other` the two differ only in an action: one arrow while actions are not drawn, two when they are.
    expect(mmd).toContain('other --> bye : hang-up');
    expect(chartEdges(chart.transitions, { labels }).length).toBe(chart.transitions.length - 3);
    const withActions = toMermaid(chart, { labels, actions: true });
    expect(withActions).toContain('other --> bye : Hangup / note');
    expect(withActions).toContain('other --> bye : End');
    expect(withActions).toContain('main --> bye : hang-up');
  });

  it('leaves a group of one event, or a partly handled group, alone', () => {
    const single = toMermaid(chart, { labels: { eventGroups: { 'hang-up': ['Hangup', 'Hangup'] } } });
    expect(single).toContain('main --> bye : Hangup');
    const partial = toMermaid(chart, { labels: { eventGroups: { gone: ['Hangup', 'Missing'] } } });
    expect(partial).toContain('main --> bye : Hangup');
    expect(partial).not.toContain('gone');
  });

  it('reports a guard label function that returns neither a text nor { on }', () => {
    const bad = { guards: { isKey: () => ({ guard: 'x' }) as never } };
    expect(() => toMermaid(chart, { labels: bad })).toThrow(/guards\.isKey must return a string or \{ on, guard\? \}/);
  });
});

describe('the voicemail machine’s labels', () => {
  const mmd = toMermaid(chartOf(voicemailMachine), { labels: MACHINE_CHART_LABELS.voicemail! });

  it('reads like the tutorial: the key pressed and what it is for, with the default keys', () => {
    expect(DEFAULT_KEYS.accept).toBe('#');
    expect(mmd).toContain('active --> stopping : DTMF # [accept]');
    expect(mmd).toContain('active --> paused : DTMF 1 [pause]');
    expect(mmd).toContain('greeting --> finishing : DTMF 0 [operator]');
    expect(mmd).toContain('reviewing --> copying : DTMF 8 [copy]');
    expect(mmd).toContain('collecting --> collecting : DTMF digit [isDigit]');
    expect(mmd).toContain('collecting --> sending : DTMF # [copyEnter && hasDigits]');
    expect(mmd).toContain('greeting --> recording : PlaybackFinished [current playback]');
    expect(mmd).toContain('recording --> failed : RecordingFailed [current take]');
    expect(mmd).toContain('greeting --> hungUp : hang-up');
    expect(mmd).not.toMatch(/isKey|ChannelDtmfReceived|ChannelHangupRequest|StasisEnd/);
  });

  it('shows other keys, and a key switched off, when asked', () => {
    const custom = toMermaid(chartOf(voicemailMachine), {
      labels: voicemailChartLabels({ ...DEFAULT_KEYS, accept: '5', pause: null }),
    });
    expect(custom).toContain('active --> stopping : DTMF 5 [accept]');
    expect(custom).toContain('active --> paused : DTMF (off) [pause]');
  });
});
