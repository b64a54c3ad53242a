// Go's text/tabwriter as docker uses it (minwidth, tabwidth 1, padding, pad with spaces): cells end at
// tabs, every column but each line's last cell is padded to its widest cell plus padding.

export function tabwrite(text: string, opts: { minWidth?: number; padding?: number } = {}): string {
  const minWidth = opts.minWidth ?? 10;
  const padding = opts.padding ?? 3;
  const trailingNewline = text.endsWith('\n');
  const lines = (trailingNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const widths: number[] = [];
  for (const cells of lines) {
    for (let c = 0; c < cells.length - 1; c++) {
      const w = Math.max(minWidth, [...cells[c]!].length + padding);
      widths[c] = Math.max(widths[c] ?? 0, w);
    }
  }
  const out = lines.map((cells) =>
    cells
      .map((cell, c) => (c < cells.length - 1 ? cell + ' '.repeat(widths[c]! - [...cell].length) : cell))
      .join(''),
  );
  return out.join('\n') + (trailingNewline ? '\n' : '');
}
