import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { githubSlug, headingText, markdownHeadingIds } from '../../scripts/src/docs/github-slug.js';
import { checkBuiltSite, checkMarkdownFiles, formatBroken, localSearchIndexFiles } from '../../scripts/src/docs/links.js';

/** A repository in miniature: README.md, docs/ with its pages, and the site VitePress would build from them. */
const root = mkdtempSync(join(tmpdir(), 'docs-links-'));
const docsDir = join(root, 'docs');
const distDir = join(docsDir, '.vitepress', 'dist');

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A built page as VitePress writes one: headings with ids and a `header-anchor` link, the sidebar's links. */
function page(body: string): string {
  return `<!DOCTYPE html><html><head><link rel="preload" href="/assets/missing.js"></head><body><nav><a href="/">Home</a><a href="/guides/retries.html">Retries</a></nav>${body}</body></html>`;
}

write('docs/guides/retries.md', '# Retries\n\n## Which max_retries a task gets\n');
write('docs/reference/http-api.md', '# HTTP API\n');
write('docs/.vitepress/dist/index.html', page('<h1 id="taskforge">taskforge</h1><a href="#taskforge">¶</a>'));
write(
  'docs/.vitepress/dist/guides/retries.html',
  page(
    '<h1 id="retries">Retries</h1><h2 id="which-max_retries-a-task-gets">Which max_retries a task gets</h2>' +
      '<a href="#which-max_retries-a-task-gets">¶</a>' +
      '<a href="../reference/http-api.html#post-tasks--submit-a-task">POST /tasks</a>' + // relative, page and anchor exist
      '<a href="/reference/http-api#get-tasksid--task-details">clean URL</a>' + // VitePress' cleanUrls form
      '<a href="/reference/http-api.html#post-tasks-submit-a-task">renamed</a>' + // the anchor VitePress' own slugs would give
      '<a href="/reference/metrics.html">Metrics</a>' + // a page that was never built
      '<a href="/screenshots/overview.png">an image</a>' +
      '<a href="https://example.com/guide#anywhere">another site</a><a href="mailto:ops@example.com">mail</a>' +
      '<a href="/reference/http-api.html?x=1&amp;y=2#post-tasks--submit-a-task">entities</a>',
  ),
);
write(
  'docs/.vitepress/dist/reference/http-api.html',
  page('<h2 id="post-tasks--submit-a-task">POST /tasks</h2><h2 id="get-tasksid--task-details">GET /tasks/:id</h2>'),
);
write('docs/.vitepress/dist/screenshots/overview.png', 'png');
write('docs/screenshots/overview.png', 'png');
write('docs/.vitepress/dist/assets/chunks/@localSearchIndexroot.abc123.js', 'export default {}');
write(
  'README.md',
  [
    '# taskforge',
    '## Quick start',
    '[retries](docs/guides/retries.md#which-max_retries-a-task-gets) [gone](docs/guides/retries.md#which-max-retries)',
    '[start](#quick-start) [nowhere](#quick-stat) [contributing](CONTRIBUTING.md#tests) [missing page](docs/guides/nope.md)',
    '![overview](docs/screenshots/overview.png) [site](https://example.com/#x)',
    '`[not a link](#in-code)`',
    '```md',
    '[also not a link](#in-a-fence)',
    '```',
  ].join('\n'),
);
write('CONTRIBUTING.md', '# Contributing\n\n## Tests\n');

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('the built site check', () => {
  const report = checkBuiltSite(distDir, (built) => `docs/${built.replace(/\.html$/, '.md')}`);

  it('catches a link to an anchor that is not on its page, naming the page it is written on and the link', () => {
    expect(report.broken).toContainEqual({
      source: 'docs/guides/retries.md',
      link: '/reference/http-api.html#post-tasks-submit-a-task',
      problem: 'no element with id "post-tasks-submit-a-task" on reference/http-api.html',
    });
  });

  it('catches a link to a page that was not built', () => {
    expect(report.broken).toContainEqual({
      source: 'docs/guides/retries.md',
      link: '/reference/metrics.html',
      problem: 'no page /reference/metrics.html in the built site',
    });
  });

  it('passes everything else: relative and clean URLs, same-page anchors, files, other sites, escaped hrefs', () => {
    expect(report.broken).toHaveLength(2);
    expect(report.pages).toBe(3);
  });

  it('reports each broken link once per page, in a line naming page and link', () => {
    expect(report.broken.map(formatBroken)).toEqual([
      'docs/guides/retries.md: broken link "/reference/http-api.html#post-tasks-submit-a-task": ' +
        'no element with id "post-tasks-submit-a-task" on reference/http-api.html',
      'docs/guides/retries.md: broken link "/reference/metrics.html": no page /reference/metrics.html in the built site',
    ]);
  });

  it('finds the local search index', () => {
    expect(localSearchIndexFiles(distDir)).toEqual(['@localSearchIndexroot.abc123.js']);
    expect(localSearchIndexFiles(join(root, 'nowhere'))).toEqual([]);
  });
});

describe('the check of README.md and CONTRIBUTING.md', () => {
  const report = checkMarkdownFiles([join(root, 'README.md'), join(root, 'CONTRIBUTING.md')], { repoRoot: root, docsDir, distDir });

  it('catches a link into the docs whose anchor the built page lacks, one to a missing page, and a missing heading of its own', () => {
    expect(report.broken).toEqual([
      {
        source: 'README.md',
        link: 'docs/guides/retries.md#which-max-retries',
        problem: 'no element with id "which-max-retries" on guides/retries.html',
      },
      { source: 'README.md', link: '#quick-stat', problem: 'no heading with id "quick-stat" in README.md' },
      { source: 'README.md', link: 'docs/guides/nope.md', problem: 'no file docs/guides/nope.md' },
    ]);
  });

  it('ignores links in code and to other sites', () => {
    expect(report.links).toBe(7);
  });
});

describe("GitHub's heading ids", () => {
  it('are what GitHub makes of a heading: punctuation dropped, each space a hyphen', () => {
    expect(githubSlug(headingText('`POST /tasks` — submit a task'))).toBe('post-tasks--submit-a-task');
    expect(githubSlug(headingText('`GET /docs`, `GET /docs-json` — OpenAPI spec'))).toBe('get-docs-get-docs-json--openapi-spec');
    expect(githubSlug(headingText('Bulk files (`tasks add --file`)'))).toBe('bulk-files-tasks-add---file');
    expect(githubSlug(headingText('Supported Node.js versions'))).toBe('supported-nodejs-versions');
    expect(githubSlug(headingText('A run: 1,000 tasks/s for 10 minutes, steady'))).toBe('a-run-1000-taskss-for-10-minutes-steady');
    expect(githubSlug(headingText('`GET /health` on the worker (`WORKER_PORT`)'))).toBe('get-health-on-the-worker-worker_port');
  });

  it('number repeated headings as GitHub does, and skip fenced code', () => {
    expect([...markdownHeadingIds('# Configuration\n## Configuration\n```sh\n# not a heading\n```\n## Configuration\n')]).toEqual([
      'configuration',
      'configuration-1',
      'configuration-2',
    ]);
  });
});
