/**
 * Shows HTML that Rust rendered and sanitized (desk-render) in an element,
 * changing only the top-level blocks that differ from what is shown. While
 * one paragraph is typed, the browser then lays out that paragraph again,
 * not the whole page.
 */
export function patchedHtml(node: HTMLElement, html: string) {
  let shown: string | null = null;
  const show = (next: string) => {
    if (next === shown) return;
    shown = next;
    const incoming = document.createElement("template");
    incoming.innerHTML = next;
    const wanted = Array.from(incoming.content.childNodes);
    const current = Array.from(node.childNodes);
    // Unchanged blocks at the start and at the end stay as they are.
    let start = 0;
    while (start < wanted.length && start < current.length && current[start].isEqualNode(wanted[start])) start++;
    let endWanted = wanted.length;
    let endCurrent = current.length;
    while (endWanted > start && endCurrent > start && current[endCurrent - 1].isEqualNode(wanted[endWanted - 1])) {
      endWanted--;
      endCurrent--;
    }
    const after = current[endCurrent] ?? null;
    for (const old of current.slice(start, endCurrent)) old.remove();
    for (const block of wanted.slice(start, endWanted)) node.insertBefore(block, after);
  };
  show(html);
  return { update: show };
}
