interface GraphvizLike {
  dot(source: string, outputFormat?: 'svg'): string;
}

let graphviz: Promise<GraphvizLike> | undefined;

/**
 * Renders DOT to SVG in-process with WebAssembly Graphviz (`@hpcc-js/wasm-graphviz`, a development dependency: no
 * browser, no system binary). The WebAssembly module is loaded once, on first use.
 * @throws Error when the DOT does not parse (Graphviz's own message).
 */
export async function renderSvg(dot: string): Promise<string> {
  graphviz ??= import('@hpcc-js/wasm-graphviz').then(({ Graphviz }) => Graphviz.load());
  const svg = (await graphviz).dot(dot, 'svg');
  return svg.endsWith('\n') ? svg : `${svg}\n`;
}
