// Closing the window waits for the work that must not be lost (the
// composer's unsaved text). Tauri lets the page decide: while a page listens
// for close requests, Rust keeps the window open and the listener destroys it
// (`onCloseRequested`), unless the event is prevented. Needs the capability's
// core:event:allow-listen and core:window:allow-destroy, nothing more.
import { getCurrentWindow } from "@tauri-apps/api/window";

/** Finishes its work before the window closes; resolves true when the window may close. */
export type BeforeClose = () => Promise<boolean>;

const waiting = new Set<BeforeClose>();

/** Registers work to finish before the window closes; returns its removal. */
export function beforeClose(flush: BeforeClose): () => void {
  waiting.add(flush);
  return () => waiting.delete(flush);
}

/**
 * Runs every registered flush (the composer saves what is typed); true when
 * all of them say the work is safe. Closing the window waits for it, and so
 * does installing an update (the app restarts).
 */
export async function saveBeforeLeaving(): Promise<boolean> {
  const done = await Promise.all([...waiting].map((flush) => flush().catch(() => false)));
  return done.every(Boolean);
}

/**
 * Listens for the window's close requests, once for the page's life: every
 * registered flush runs, and the window closes only when all of them say so.
 * A flush that fails keeps the window open; it shows why, and offers
 * `closeNow`. Outside the app (no Tauri) there is nothing to guard.
 */
export function guardClose() {
  if (!("__TAURI_INTERNALS__" in window)) return;
  getCurrentWindow()
    .onCloseRequested(async (event) => {
      if (!(await saveBeforeLeaving())) event.preventDefault();
    })
    .catch((e) => console.error("close requests are not guarded:", e));
}

/** Closes the window without asking anyone (the user chose to close without saving). */
export function closeNow(): Promise<void> {
  return getCurrentWindow().destroy();
}
