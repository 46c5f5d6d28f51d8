// What the translation memory shows inside an editor (CodeMirror decorations):
// the sentence under the cursor that suggestions are asked for, the place in
// the other editor a suggestion would go, and the passages inserted from
// memory, each marked until the author edits inside it.
import { StateEffect, StateField, type Extension, type Range } from "@codemirror/state";
import { Decoration, EditorView, type DecorationSet } from "@codemirror/view";

/** A passage inserted from memory: document offsets, and what its mark says (shown on hover, read as its title). */
export interface MemoryRange {
  from: number;
  to: number;
  title: string;
}

/** Marks these passages as inserted from memory. */
export const markFromMemory = StateEffect.define<MemoryRange[]>({
  map: (ranges, change) => ranges.map((r) => ({ ...r, from: change.mapPos(r.from, 1), to: change.mapPos(r.to, -1) })),
});

/** Shows (or, with null, hides) the segment suggestions are for, or where one would go. */
export const showSpan = StateEffect.define<{ kind: "segment" | "target"; from: number; to: number } | null>({
  map: (span, change) => span && { ...span, from: change.mapPos(span.from, 1), to: change.mapPos(span.to, -1) },
});

const marked = (title: string) =>
  Decoration.mark({ class: "cm-from-memory", attributes: { title, "data-from-memory": "true" } });
const shown = {
  segment: Decoration.mark({ class: "cm-memory-segment" }),
  target: Decoration.mark({ class: "cm-memory-target" }),
};

/**
 * True when a change of [a, b] (old document) edits inside the passage
 * [from, to]: it overlaps it, or inserts strictly inside it. Typing just
 * before or after a passage leaves it as it was inserted.
 */
export const editsInside = (a: number, b: number, from: number, to: number) => (a < to && b > from) || (a === b && a > from && a < to);

const fromMemory = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    if (tr.docChanged) {
      const changed: [number, number][] = [];
      tr.changes.iterChangedRanges((a, b) => changed.push([a, b]));
      marks = marks.update({ filter: (from, to) => !changed.some(([a, b]) => editsInside(a, b, from, to)) }).map(tr.changes);
    }
    for (const e of tr.effects) {
      if (!e.is(markFromMemory)) continue;
      const add: Range<Decoration>[] = e.value.filter((r) => r.to > r.from).map((r) => marked(r.title).range(r.from, r.to));
      marks = marks.update({ add, sort: true });
    }
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const spanShown = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(showSpan)) continue;
      const span = e.value;
      deco = span && span.to > span.from ? Decoration.set([shown[span.kind].range(span.from, span.to)]) : Decoration.none;
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The editor's part of the translation memory. */
export const memoryDecorations: Extension = [fromMemory, spanShown];

/** The passages marked as inserted from memory now, in document order. */
export function memoryRanges(view: EditorView): { from: number; to: number }[] {
  const found: { from: number; to: number }[] = [];
  view.state.field(fromMemory, false)?.between(0, view.state.doc.length, (from, to) => {
    found.push({ from, to });
  });
  return found;
}
