/**
 * The id GitHub gives a Markdown heading, used by the docs site too (docs/.vitepress/config.ts), so
 * one link works in both places: `docs/operations/scaling.md#connection-budget` finds the heading on
 * GitHub and on the built site. Lower case; every character that is not a letter, a mark, a digit,
 * `_`, `-` or a space dropped; each space a hyphen. So "`POST /tasks` — submit a task" becomes
 * `post-tasks--submit-a-task` (VitePress' own slugs would collapse the two hyphens). Repeated
 * headings get `-1`, `-2`… from the caller, as GitHub numbers them.
 */
export function githubSlug(headingText: string): string {
  return headingText
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replaceAll(' ', '-');
}

/** What GitHub slugs of a Markdown heading line: its text without code ticks, emphasis or link targets. */
export function headingText(markdown: string): string {
  return markdown
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*)/g, '');
}

/** The ids of every heading of a Markdown file as GitHub renders it (fenced code skipped; duplicates numbered). */
export function markdownHeadingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const fenceMark = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fenceMark) {
      if (fence === undefined) fence = fenceMark;
      else if (fenceMark.startsWith(fence)) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = githubSlug(headingText(heading[1]!));
    const count = seen.get(slug);
    seen.set(slug, (count ?? -1) + 1);
    ids.add(count === undefined ? slug : `${slug}-${count + 1}`);
  }
  return ids;
}
