/**
 * What a reader sees of a Graphviz SVG, read back from the file: every line of text with the box it covers, the
 * node, edge or cluster it belongs to, and the picture's size; and the ways it fails a reader (lines that overlap,
 * lines cut off at the picture's edge).
 */

/** One `<text>` line of a Graphviz SVG, with an estimate of the box its glyphs cover, in SVG user units (pt). */
export interface SvgTextBox {
  readonly text: string;
  /** The class of the group it is drawn in (`node`, `edge`, `cluster`, `graph`). */
  readonly kind: string;
  /** The `<title>` of that group: a node's id, `tail->head` for an edge, `cluster_<id>` for a cluster. */
  readonly owner: string;
  readonly fontSize: number;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** A node, edge or cluster group of a Graphviz SVG. */
export interface SvgGroup {
  readonly kind: string;
  readonly title: string;
  /** Its lines of text, in document order. */
  readonly texts: readonly string[];
  /** True when it draws a visible outline (a path, polygon or ellipse with a stroke that is not `none`). */
  readonly outlined: boolean;
  /** The colour of its first outline or line (`black`, `#1a5fb4`). */
  readonly stroke?: string;
  /** A cluster's frame: the box around its outline, in picture coordinates. */
  readonly box?: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
  /** An edge's ends: where its line starts, and the tip of its arrowhead (picture coordinates). */
  readonly start?: { readonly x: number; readonly y: number };
  readonly end?: { readonly x: number; readonly y: number };
  /** Where an edge's line stops (at the arrowhead's base, or at the tip when Graphviz turns the head around). */
  readonly lineEnd?: { readonly x: number; readonly y: number };
}

/** A Graphviz SVG read back. */
export interface SvgLayout {
  /** The picture's size in pt (`width`/`height` of the root element). */
  readonly width: number;
  readonly height: number;
  readonly texts: readonly SvgTextBox[];
  readonly groups: readonly SvgGroup[];
}

/**
 * Reads a Graphviz SVG: the picture's size, each group (node, edge, cluster) with its title and texts, and each line
 * of text with its box in picture coordinates (the graph's `translate` applied). Text widths are estimated from
 * Helvetica's advance widths (what Graphviz itself assumes for `fontname="Helvetica"`), heights from the font size.
 * @throws Error when the text is not a Graphviz SVG.
 */
export function readSvg(svg: string): SvgLayout {
  const root = /<svg\b[^>]*\bwidth="([\d.]+)pt"[^>]*\bheight="([\d.]+)pt"/.exec(svg);
  if (!root) throw new Error('readSvg: no <svg width="…pt" height="…pt"> element');
  const translate = /<g id="graph0" class="graph" transform="[^"]*translate\(([-\d.]+) ([-\d.]+)\)"/.exec(svg);
  const dx = translate ? Number(translate[1]) : 0;
  const dy = translate ? Number(translate[2]) : 0;
  const texts: SvgTextBox[] = [];
  const groups: SvgGroup[] = [];
  // Graphviz writes every group flat (clusters, nodes and edges are siblings), each opened by its title.
  const parts = svg.split(/(?=<g id="[^"]*" class="(?:node|edge|cluster|graph)">)/);
  for (const part of parts) {
    const head = /^<g id="[^"]*" class="(node|edge|cluster|graph)">\s*<title>([^<]*)<\/title>/.exec(part);
    if (!head) continue;
    const kind = head[1]!;
    const owner = unescapeXml(head[2]!);
    // Up to the next group: nested groups (links) are flattened into their owner.
    const body = part.slice(head[0].length);
    const lines: string[] = [];
    for (const m of body.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)) {
      const attrs = m[1]!;
      const text = unescapeXml(m[2]!);
      const x = Number(attr(attrs, 'x')) + dx;
      const y = Number(attr(attrs, 'y')) + dy;
      const fontSize = Number(attr(attrs, 'font-size') ?? '14');
      const width = textWidth(text, fontSize);
      const anchor = attr(attrs, 'text-anchor') ?? 'start';
      const x0 = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
      lines.push(text);
      // Helvetica's ascender reaches about 0.75 em above the baseline, its descender 0.22 em below.
      texts.push({ text, kind, owner, fontSize, x0, x1: x0 + width, y0: y - 0.75 * fontSize, y1: y + 0.22 * fontSize });
    }
    const outlined = [...body.matchAll(/<(?:path|polygon|ellipse|polyline)\b([^>]*)\/?>/g)].some(
      (m) => (attr(m[1]!, 'stroke') ?? 'black') !== 'none' && attr(m[1]!, 'stroke') !== 'transparent',
    );
    const stroke = /<(?:path|polygon|ellipse)\b[^>]*\bstroke="([^"]*)"/.exec(body)?.[1];
    const shapes = [...body.matchAll(/<(path|polygon)\b[^>]*\b(?:d|points)="([^"]*)"/g)].map((m) => ({
      tag: m[1]!,
      points: [...m[2]!.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((p) => ({
        x: Number(p[1]) + dx,
        y: Number(p[2]) + dy,
      })),
    }));
    const group: {
      kind: string;
      title: string;
      texts: string[];
      outlined: boolean;
      stroke?: string;
      box?: SvgGroup['box'];
      start?: SvgGroup['start'];
      end?: SvgGroup['end'];
      lineEnd?: SvgGroup['lineEnd'];
    } = { kind, title: owner, texts: lines, outlined, ...(stroke !== undefined ? { stroke } : {}) };
    const frame = shapes[0]?.points;
    if (kind === 'cluster' && frame && frame.length > 0) {
      const xs = frame.map((p) => p.x);
      const ys = frame.map((p) => p.y);
      group.box = { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
    }
    const line = shapes.find((shape) => shape.tag === 'path')?.points;
    if (kind === 'edge' && line && line.length > 0) {
      group.start = line[0]!;
      const last = line.at(-1)!;
      group.lineEnd = last;
      const head = shapes.find((shape) => shape.tag === 'polygon')?.points ?? [];
      // The arrowhead's tip: its corner farthest from where the line stops.
      group.end = head.reduce((tip, p) => (distance(p, last) > distance(tip, last) ? p : tip), last);
    }
    if (kind !== 'graph') groups.push(group);
  }
  return { width: Number(root[1]), height: Number(root[2]), texts, groups };
}

/** A problem a reader would see in a picture. */
export interface ReadabilityProblem {
  readonly kind: 'overlap' | 'clipped';
  readonly message: string;
  /** The lines of text concerned: one cut off, or two that overlap. */
  readonly boxes: readonly SvgTextBox[];
}

/**
 * The lines of text that overlap another or reach outside the picture: empty for a picture every label of which can
 * be read. Two lines side by side must be at least `gap` em apart (default 0.3, about a space), so that they read as
 * two labels and not as one run of words, even in a font `slack` (default 5 %) wider than Helvetica, as a fallback
 * font may be.
 */
export function readabilityProblems(layout: SvgLayout, gap = 0.3, slack = 0.05): ReadabilityProblem[] {
  const tolerance = 0.5;
  const problems: ReadabilityProblem[] = [];
  // Each line as wide as a font `slack` wider than Helvetica would set it (grown on both sides).
  const wider = layout.texts.map((t) => {
    const grow = ((t.x1 - t.x0) * slack) / 2;
    return { ...t, x0: t.x0 - grow, x1: t.x1 + grow };
  });
  const texts = wider.map((t) => ({ ...t, x0: t.x0 - (gap / 2) * t.fontSize, x1: t.x1 + (gap / 2) * t.fontSize }));
  for (const t of wider) {
    if (t.x0 < -tolerance || t.y0 < -tolerance || t.x1 > layout.width + tolerance || t.y1 > layout.height + tolerance) {
      problems.push({
        kind: 'clipped',
        message: `"${t.text}" (${t.kind} ${t.owner}) reaches outside the picture`,
        boxes: [t],
      });
    }
  }
  // Sorted by left edge, so each box is compared only with those that start before it ends.
  const sorted = [...texts].sort((a, b) => a.x0 - b.x0);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length && sorted[j]!.x0 < a.x1 - tolerance; j++) {
      const b = sorted[j]!;
      const overlapY = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      const overlapX = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      if (overlapX > tolerance && overlapY > tolerance) {
        problems.push({
          kind: 'overlap',
          message: `"${a.text}" (${a.kind} ${a.owner}) overlaps "${b.text}" (${b.kind} ${b.owner})`,
          boxes: [a, b],
        });
      }
    }
  }
  return problems;
}

/**
 * The width in pt of a line of Helvetica: each character's advance width in thousandths of an em, as the font's
 * metrics give it (characters outside ASCII count as a full em, an overestimate that errs on the safe side).
 */
export function textWidth(text: string, fontSize: number): number {
  let units = 0;
  for (const c of text) units += advance(c);
  return (units / 1000) * fontSize;
}

// Helvetica advance widths, grouped by width.
const WIDTHS: ReadonlyArray<readonly [number, string]> = [
  [191, "'"],
  [222, 'ijl'],
  [260, '|'],
  [278, ' \u00a0!,./:;I[\\]ft'],
  [333, '()-`r'],
  [355, '"'],
  [389, '*'],
  [469, '^'],
  [500, 'Jcksvxyz'],
  [556, '#$0123456789?L_abdeghnopqu'],
  [584, '+<=>~'],
  [667, '&ABEKPSVXY'],
  [722, 'CDHNRUw'],
  [778, 'GOQ'],
  [611, 'FTZ'],
  [833, 'Mm'],
  [889, '%'],
  [944, 'W'],
  [1015, '@'],
  [334, '{}'],
];

const ADVANCE = new Map<string, number>();
for (const [width, chars] of WIDTHS) for (const c of chars) ADVANCE.set(c, width);

function advance(c: string): number {
  return ADVANCE.get(c) ?? 1000;
}

function distance(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** How far a point lies from the outline of a box (0 on it). */
export function distanceToFrame(
  point: { readonly x: number; readonly y: number },
  box: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number },
): number {
  const inside = point.x >= box.x0 && point.x <= box.x1 && point.y >= box.y0 && point.y <= box.y1;
  if (inside) return Math.min(point.x - box.x0, box.x1 - point.x, point.y - box.y0, box.y1 - point.y);
  const dx = Math.max(box.x0 - point.x, 0, point.x - box.x1);
  const dy = Math.max(box.y0 - point.y, 0, point.y - box.y1);
  return Math.hypot(dx, dy);
}

function attr(attrs: string, name: string): string | undefined {
  return new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];
}

function unescapeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
