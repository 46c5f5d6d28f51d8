// Diagnostics count lines and columns in characters (Unicode scalar values);
// CodeMirror counts UTF-16 code units. These convert between the two.

/** The document offset of a 1-based line and character column. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  let current = 1;
  while (current < line) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
    current += 1;
  }
  const lineEnd = text.indexOf("\n", offset);
  const lineText = text.slice(offset, lineEnd < 0 ? text.length : lineEnd);
  let units = 0;
  let chars = 1;
  for (const ch of lineText) {
    if (chars >= column) break;
    units += ch.length;
    chars += 1;
  }
  return offset + units;
}

/** The document range of a finding (its 1-based lines and character columns). */
export function rangeOf(text: string, d: { line: number; column: number; end_line: number; end_column: number }): { from: number; to: number } {
  const from = offsetOf(text, d.line, d.column);
  return { from, to: Math.max(from, offsetOf(text, d.end_line, d.end_column)) };
}

/** The 1-based line and character column of a document offset (the inverse of `offsetOf`). */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.min(Math.max(offset, 0), text.length));
  const lineStart = before.lastIndexOf("\n") + 1;
  let line = 1;
  for (let i = before.indexOf("\n"); i >= 0; i = before.indexOf("\n", i + 1)) line += 1;
  return { line, column: [...before.slice(lineStart)].length + 1 };
}

/**
 * A text cut at the places Rust found words in (characters = Unicode scalar
 * values, 0-based, end exclusive, in order, not overlapping): the pieces in
 * order, each marked or not.
 */
export function charSlices(text: string, spans: readonly { start: number; end: number }[]): { text: string; mark: boolean }[] {
  const chars = Array.from(text);
  const out: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const { start, end } of spans) {
    if (start < at || start >= chars.length) continue;
    if (start > at) out.push({ text: chars.slice(at, start).join(""), mark: false });
    out.push({ text: chars.slice(start, end).join(""), mark: true });
    at = Math.min(end, chars.length);
  }
  if (at < chars.length || out.length === 0) out.push({ text: chars.slice(at).join(""), mark: false });
  return out;
}
