// The domain's facts (each kind's lifecycle, the statuses' labels, the
// sections' headings, the linter's severities), looked up in the constant
// Rust generates into bindings.ts. The UI copies none of them.
import { DOMAIN_FACTS, type DomainFacts, type Kind, type Lang, type Status } from "./bindings";

/** `T` with every array and field read-only (the generated constant is `as const`). */
type Frozen<T> = T extends readonly (infer U)[] ? readonly Frozen<U>[] : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

/** Checked against the generated type: the constant must be a `DomainFacts`. */
const facts: Frozen<DomainFacts> = DOMAIN_FACTS;

export type StatusFacts = Frozen<DomainFacts["statuses"][number]>;
export type SectionFacts = Frozen<DomainFacts["sections"][number]>;
export type SectionKind = DomainFacts["sections"][number]["section"];
export type SeverityName = DomainFacts["severities"][number]["severity"];

const byStatus = new Map<Status, StatusFacts>(facts.statuses.map((s) => [s.status, s]));
const byKind = new Map<Kind, Frozen<DomainFacts["kinds"][number]>>(facts.kinds.map((k) => [k.kind, k]));
const bySeverity = new Map<string, Frozen<DomainFacts["severities"][number]>>(facts.severities.map((s) => [s.severity, s]));
const bySection = new Map<SectionKind, SectionFacts>(facts.sections.map((s) => [s.section, s]));

/** Rust lists every status (its own test checks it); a missing one is a generated-bindings bug. */
function statusFacts(status: Status): StatusFacts {
  const found = byStatus.get(status);
  if (!found) throw new Error(`no domain facts for status ${status}`);
  return found;
}

/** The kinds of announcement, in the order Rust gives them (incident first). */
export const KINDS: readonly Kind[] = facts.kinds.map((k) => k.kind);

/** The statuses a kind moves through, in lifecycle order. */
export function statusesOf(kind: Kind): readonly Status[] {
  return byKind.get(kind)?.statuses ?? [];
}

/** The status a new announcement of the first kind starts in. */
export function firstStatus(): Status {
  const first = facts.kinds[0]?.statuses[0] ?? facts.statuses[0]?.status;
  if (!first) throw new Error("the domain facts list no status");
  return first;
}

/** The kind of announcement a status belongs to. */
export function kindOf(status: Status): Kind {
  return statusFacts(status).kind;
}

/** A status's label in `lang`. */
export function statusLabel(status: Status, lang: Lang): string {
  return byStatus.get(status)?.label[lang] ?? status;
}

/** A kind's label in `lang` (障害 / Maintenance). */
export function kindLabel(kind: Kind, lang: Lang): string {
  return byKind.get(kind)?.label[lang] ?? kind;
}

/** Neither going on nor over: it has not started yet (a scheduled maintenance). */
export function isUpcoming(status: Status): boolean {
  const s = statusFacts(status);
  return !s.ongoing && !s.closed;
}

/** A severity's label in `lang`; an unknown one is shown as it is. */
export function severityLabel(severity: string, lang: Lang): string {
  return bySeverity.get(severity)?.label[lang] ?? severity;
}

/** A section the author types (every one but the period, which is filled from the structured period). */
export type TypedSection = Exclude<SectionKind, "period">;
export const TYPED_SECTIONS: readonly TypedSection[] = facts.sections
  .map((s) => s.section)
  .filter((s): s is TypedSection => s !== "period");

/** A section's heading in `lang` (the past-tense one for a closed status). */
export function sectionHeading(section: SectionKind, lang: Lang, past = false): string {
  const found = bySection.get(section);
  if (!found) return section;
  return (past ? found.past_heading : found.heading)[lang];
}
