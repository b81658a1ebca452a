/**
 * A small client of the Briefs API, typed by `openapi.d.ts`, which `npm run generate`
 * writes from ../../openapi.yaml with openapi-typescript. `npm run check` type-checks
 * this file against it (the test suite runs it), so a change of the API that would
 * break this code fails the build.
 */
import type { components, operations } from "./openapi";

export type Brief = components["schemas"]["Brief"];
export type BriefChanges = components["schemas"]["BriefChanges"];
export type BriefSummaryPage = components["schemas"]["BriefSummaryPage"];
export type ChangesFeed = components["schemas"]["ChangesFeed"];
export type Element = components["schemas"]["Element"];
export type EventPage = components["schemas"]["EventPage"];
export type Problem = components["schemas"]["Problem"];
export type SearchHitPage = components["schemas"]["SearchHitPage"];
export type VersionPage = components["schemas"]["VersionPage"];

type Query<Operation extends keyof operations> = NonNullable<operations[Operation]["parameters"]["query"]>;

/** An error answer of the API, with its RFC 9457 problem details. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
  }
}

async function getJson<T>(base: string, path: string, query: object = {}): Promise<T> {
  const url = new URL(path, base);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new ProblemError((await response.json()) as Problem);
  return (await response.json()) as T;
}

/** A page of briefs, newest first unless `sort` says otherwise. */
export function listBriefs(base: string, query: Query<"listBriefs"> = {}): Promise<BriefSummaryPage> {
  return getJson(base, "/v1/briefs", query);
}

/** A whole brief: its sections in document order, each with its typed elements. */
export function getBrief(base: string, briefId: string): Promise<Brief> {
  return getJson(base, `/v1/briefs/${encodeURIComponent(briefId)}`);
}

/** A brief's versions from the content repository's history, newest first. */
export function listBriefVersions(
  base: string, briefId: string, query: Query<"listBriefVersions"> = {},
): Promise<VersionPage> {
  return getJson(base, `/v1/briefs/${encodeURIComponent(briefId)}/versions`, query);
}

/** The brief as it was at one version: what its permalinks point into. */
export function getBriefVersion(base: string, briefId: string, version: number): Promise<Brief> {
  return getJson(base, `/v1/briefs/${encodeURIComponent(briefId)}/versions/${version}`);
}

/** What a version changed, since the version before or since `from`. */
export function getBriefVersionChanges(
  base: string, briefId: string, version: number, query: Query<"getBriefVersionChanges"> = {},
): Promise<BriefChanges> {
  return getJson(base, `/v1/briefs/${encodeURIComponent(briefId)}/versions/${version}/changes`, query);
}

/** Every new version and withdrawal since a cursor (the previous answer's `next_since`). */
export function listChanges(base: string, query: Query<"listChanges"> = {}): Promise<ChangesFeed> {
  return getJson(base, "/v1/changes", query);
}

/** Has a brief changed since the version quoted, and what changed: one line an element. */
export async function changedSinceQuoted(base: string, briefId: string, quoted: number): Promise<string[]> {
  const latest = (await listBriefVersions(base, briefId, { per_page: 1 })).items[0]?.version ?? quoted;
  if (latest <= quoted) return [];
  const changes = await getBriefVersionChanges(base, briefId, latest, { from: quoted });
  return changes.elements.map((element) => `${element.change}\t${element.type} ${element.id}`);
}

/** Events oldest first; `from` and `to` take partial dates such as 2021 or 2021-05. */
export function listEvents(base: string, query: Query<"listEvents"> = {}): Promise<EventPage> {
  return getJson(base, "/v1/events", query);
}

/** Full-text search; each hit has a snippet and, when words matched, a citation. */
export function search(base: string, query: Query<"search">): Promise<SearchHitPage> {
  return getJson(base, "/v1/search", query);
}

/** One line about a typed element; `element.type` is the API's ElementType enum. */
export function describeElement(element: Element): string {
  switch (element.type) {
    case "factor":
      return `factor: ${element.title ?? element.id}`;
    case "expectation":
      return `expectation: ${element.title ?? element.id} (${element.scenarios?.length ?? 0} scenarios)`;
    case "scenario":
      return `scenario of ${element.expectation_id ?? "?"}: ${element.title ?? element.id}`;
    case "strategy-element":
      return `strategy element of ${element.actor ?? "?"}: ${element.title ?? element.id}`;
    default:
      return `${String(element.type)}: ${element.id}`; // a type added later: v1 may add enum values
  }
}

/** The outline of a brief: headings, and under each its typed elements. */
export async function outline(base: string, briefId: string): Promise<string[]> {
  const brief = await getBrief(base, briefId);
  const published = new Date(brief.published); // ISO 8601 date
  return [
    `${brief.title} (${published.toISOString().slice(0, 10)}, ${brief.counts.sections} sections)`,
    ...brief.sections.flatMap((section) => [
      `${"#".repeat(section.level)} ${section.title ?? "(lead)"}`,
      ...section.elements.map(describeElement),
    ]),
  ];
}

/** Mistakes the types catch: each line must fail to compile, or tsc reports the unused directive. */
export function mistakesTheTypesCatch(base: string, brief: Brief): void {
  // @ts-expect-error: sort takes only the documented orders (BriefSort)
  void listBriefs(base, { sort: "newest" });
  // @ts-expect-error: an unknown query parameter is an error on the server too
  void listBriefs(base, { tags: "diplomacy" });
  // @ts-expect-error: search needs q
  void search(base, {});
  // @ts-expect-error: a brief lists its `authors`; there is no `author`
  void brief.author;
  // @ts-expect-error: a version is a number, not a string
  void getBriefVersion(base, brief.id, "1");
  // @ts-expect-error: the feed's cursor is `since`; there is no `after`
  void listChanges(base, { after: "Mjo4NmU1Mjk" });
  // @ts-expect-error: a section's level is a number
  const level: string = brief.sections[0]?.level;
  void level;
}
