import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { markdownHeadingIds } from './github-slug.js';

/** A link that leads nowhere: the file it is written in, the link as written, and what is missing. */
export interface BrokenLink {
  source: string;
  link: string;
  problem: string;
}

export interface LinkReport {
  pages: number;
  links: number;
  broken: BrokenLink[];
}

/** A built page: the ids an anchor can point at, and the hrefs of its links. */
interface BuiltPage {
  ids: Set<string>;
  hrefs: string[];
}

/** `scheme:` (https:, mailto:, javascript:) or `//host`: not a page of this site. */
const EXTERNAL = /^(?:[a-z][a-z\d+.-]*:|\/\/)/i;

/** Any host will do: it only gives relative hrefs something to resolve against. */
const SITE = 'http://docs.invalid/';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The text of an HTML attribute value: VitePress writes `&amp;` and numeric references in hrefs and ids. */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isNaN(code) ? whole : String.fromCodePoint(code);
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attributeValues(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((match) => decodeEntities(match[1] ?? match[2] ?? ''));
}

function readBuiltPage(file: string): BuiltPage {
  const html = readFileSync(file, 'utf8');
  return {
    ids: new Set(attributeValues(html, /\sid=(?:"([^"]*)"|'([^']*)')/g)),
    hrefs: attributeValues(html, /<a\b[^>]*?\shref=(?:"([^"]*)"|'([^']*)')/gi),
  };
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith(suffix) && statSync(join(dir, path)).isFile())
    .map((path) => path.split(sep).join('/'))
    .sort();
}

/**
 * The built file a site path names, as a static server finds it: `guide/` is `guide/index.html`,
 * `guide/retries` (VitePress' clean URLs) is `guide/retries.html`; undefined when there is none.
 */
function builtFileOf(distDir: string, sitePath: string): string | undefined {
  const path = sitePath.replace(/^\/+/, '');
  const candidates = path === '' || path.endsWith('/') ? [`${path}index.html`] : [path, `${path}.html`, `${path}/index.html`];
  return candidates.find((candidate) => existsSync(join(distDir, candidate)) && statSync(join(distDir, candidate)).isFile());
}

/** Reads each built page once. */
class BuiltSite {
  private readonly pages = new Map<string, BuiltPage>();

  constructor(readonly distDir: string) {}

  page(file: string): BuiltPage {
    let page = this.pages.get(file);
    if (!page) {
      page = readBuiltPage(join(this.distDir, file));
      this.pages.set(file, page);
    }
    return page;
  }

  /** What is wrong with `sitePath#fragment`, or undefined when both the page and the anchor exist. */
  problemWith(sitePath: string, fragment: string): string | undefined {
    const file = builtFileOf(this.distDir, sitePath);
    if (file === undefined) return `no page ${sitePath} in the built site`;
    if (fragment === '' || !file.endsWith('.html')) return undefined;
    return this.page(file).ids.has(fragment) ? undefined : `no element with id "${fragment}" on ${file}`;
  }
}

/**
 * Checks every `<a href>` of every page of a built static site (VitePress' docs/.vitepress/dist):
 * the page it leads to must exist, and so must the element its `#fragment` names. Links to other
 * sites are not followed. `sourceOf` names the file a page was built from, for the report.
 */
export function checkBuiltSite(distDir: string, sourceOf: (page: string) => string = (page) => page): LinkReport {
  const site = new BuiltSite(distDir);
  const pages = filesUnder(distDir, '.html');
  const broken: BrokenLink[] = [];
  let links = 0;
  for (const page of pages) {
    const reported = new Set<string>();
    for (const href of site.page(page).hrefs) {
      if (href === '' || EXTERNAL.test(href)) continue;
      links += 1;
      const url = new URL(href, SITE + page);
      const problem = site.problemWith(safeDecode(url.pathname), safeDecode(url.hash.slice(1)));
      if (problem && !reported.has(href)) {
        reported.add(href);
        broken.push({ source: sourceOf(page), link: href, problem });
      }
    }
  }
  return { pages: pages.length, links, broken };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Markdown with fenced code blocks and code spans blanked out: a `[x](y)` in code is not a link. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(\s*)(```+|~~~+)[^\n]*\n[\s\S]*?^\s*\2[^\n]*$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
}

/** The targets of a Markdown file's inline links and images, `[text](target "title")`. */
export function markdownLinkTargets(markdown: string): string[] {
  return [...withoutCode(markdown).matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+["'(][^)]*)?\)/g)].map((match) => match[1]!);
}

export interface MarkdownCheckOptions {
  /** Paths in reports are relative to it. */
  repoRoot: string;
  /** The folder the site is built from (docs/): a link to a page there is checked against the built site. */
  docsDir: string;
  /** The built site (docs/.vitepress/dist). */
  distDir: string;
}

/**
 * Checks the links of Markdown files that are not pages of the site but point into it (README.md,
 * CONTRIBUTING.md): a link to `docs/…/page.md#anchor` must find the page and the id in the built
 * site, which gives headings GitHub's ids; a link to another file of the repository must find it,
 * and its `#anchor` too when that file is Markdown; a bare `#anchor` must name a heading of the file.
 */
export function checkMarkdownFiles(files: readonly string[], options: MarkdownCheckOptions): LinkReport {
  const site = new BuiltSite(options.distDir);
  const docsDir = resolve(options.docsDir);
  const broken: BrokenLink[] = [];
  let links = 0;
  for (const file of files) {
    const source = relative(options.repoRoot, file).split(sep).join('/');
    for (const link of markdownLinkTargets(readFileSync(file, 'utf8'))) {
      if (link === '' || EXTERNAL.test(link)) continue;
      links += 1;
      const hashAt = link.indexOf('#');
      const path = safeDecode(hashAt === -1 ? link : link.slice(0, hashAt));
      const fragment = safeDecode(hashAt === -1 ? '' : link.slice(hashAt + 1));
      const target = path === '' ? resolve(file) : resolve(dirname(file), path);
      const problem = problemWithFileLink(target, fragment, docsDir, site, options.repoRoot);
      if (problem) broken.push({ source, link, problem });
    }
  }
  return { pages: files.length, links, broken };
}

function problemWithFileLink(target: string, fragment: string, docsDir: string, site: BuiltSite, repoRoot: string): string | undefined {
  const inDocs = relative(docsDir, target);
  if (target.endsWith('.md') && !inDocs.startsWith('..') && !inDocs.startsWith(sep) && existsSync(target)) {
    return site.problemWith(`/${inDocs.split(sep).join('/').replace(/\.md$/, '.html')}`, fragment);
  }
  if (!existsSync(target)) return `no file ${relative(repoRoot, target).split(sep).join('/')}`;
  if (fragment === '' || !target.endsWith('.md')) return undefined;
  return markdownHeadingIds(readFileSync(target, 'utf8')).has(fragment)
    ? undefined
    : `no heading with id "${fragment}" in ${relative(repoRoot, target).split(sep).join('/')}`;
}

/** VitePress' local search ships its index as a chunk of its own; without it the search box finds nothing. */
export function localSearchIndexFiles(distDir: string): string[] {
  const chunks = join(distDir, 'assets', 'chunks');
  if (!existsSync(chunks)) return [];
  return readdirSync(chunks).filter((name) => name.startsWith('@localSearchIndex') && name.endsWith('.js'));
}

export function formatBroken(broken: BrokenLink): string {
  return `${broken.source}: broken link "${broken.link}": ${broken.problem}`;
}
