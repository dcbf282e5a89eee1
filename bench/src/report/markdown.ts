/** Number and table formatting shared by the Markdown reports. */

export const int = (n: number) => Math.round(n).toLocaleString('en');
export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

/** A Markdown table, the first column left-aligned and the others (numbers) right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}
