import type { TopLevelSpec } from 'vega-lite';

/**
 * Gives every mark that vega labelled for screen readers (`aria-label`: the chart's `description` text, else its
 * encoded fields) a `<title>` child, so hovering shows it in any browser without scripts.
 */
export function addHoverTitles(svg: string): string {
  return svg.replace(/<(path|rect|circle|line|text|image|polygon)\b([^>]*?\baria-label="([^"]*)"[^>]*?)\s*(\/?)>/g, (_m, tag: string, attrs: string, label: string, selfClosing: string) =>
    selfClosing ? `<${tag}${attrs}><title>${label}</title></${tag}>` : `<${tag}${attrs}><title>${label}</title>`,
  );
}

/** A logger that drops vega-lite's advisory warnings (they would go to the CLI's stdout). */
interface Quiet {
  level(): Quiet;
  error(): Quiet;
  warn(): Quiet;
  info(): Quiet;
  debug(): Quiet;
}

/** Compiles a Vega-Lite spec and renders it to a standalone SVG string server-side (no browser, no network). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const quiet: Quiet = { level: () => quiet, error: () => quiet, warn: () => quiet, info: () => quiet, debug: () => quiet };
  const compiled = vl.compile(spec, { logger: quiet as unknown as NonNullable<Parameters<typeof vl.compile>[1]>['logger'] }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.None });
  try {
    const svg = await view.toSVG();
    return addHoverTitles(svg);
  } finally {
    view.finalize();
  }
}
