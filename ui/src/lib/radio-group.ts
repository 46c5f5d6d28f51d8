/**
 * Makes a row of `role="radio"` buttons behave as one radio group (WAI-ARIA
 * radio group pattern): one tab stop (the checked option), and the arrow
 * keys, Home and End move to an option and choose it.
 *
 * Use: `<div role="radiogroup" use:radioGroup>` with buttons whose
 * `aria-checked` the component keeps current.
 */
export function radioGroup(group: HTMLElement) {
  const options = () => [...group.querySelectorAll<HTMLElement>('[role="radio"]')].filter((o) => !o.hasAttribute("disabled"));

  /** Only the checked option (else the first) is reached by Tab. */
  function rove() {
    const all = options();
    const checked = all.find((o) => o.getAttribute("aria-checked") === "true") ?? all[0];
    for (const o of all) o.tabIndex = o === checked ? 0 : -1;
  }

  function onKey(e: KeyboardEvent) {
    if (e.isComposing || e.keyCode === 229) return;
    const all = options();
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    const step: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    let next: number;
    if (e.key in step) next = (at + step[e.key] + all.length) % all.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = all.length - 1;
    else return;
    e.preventDefault();
    all[next].focus();
    all[next].click();
  }

  const watch = new MutationObserver(rove);
  watch.observe(group, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-checked", "disabled"] });
  group.addEventListener("keydown", onKey);
  rove();
  return {
    destroy() {
      watch.disconnect();
      group.removeEventListener("keydown", onKey);
    },
  };
}
