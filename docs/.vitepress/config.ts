import { defineConfig, type DefaultTheme } from 'vitepress';
import { githubSlug } from '../../scripts/src/docs/github-slug.js';

/** The site's four groups, in reading order; each page is one Markdown file under docs/. */
const sidebar: DefaultTheme.SidebarItem[] = [
  {
    text: 'Guides',
    items: [
      { text: 'Getting started', link: '/guides/getting-started' },
      { text: 'Dashboard', link: '/guides/dashboard' },
      { text: 'Task types', link: '/guides/task-types' },
      { text: 'Enqueue from code', link: '/guides/enqueue-from-code' },
      { text: 'Typed client', link: '/guides/client' },
      { text: 'Command line', link: '/guides/cli' },
      { text: 'A CLI session', link: '/cli-transcript' },
      { text: 'Retries', link: '/guides/retries' },
      { text: 'Recurring schedules', link: '/guides/schedules' },
    ],
  },
  {
    text: 'Concepts',
    items: [
      { text: 'How it works', link: '/concepts/how-it-works' },
      { text: 'Task states', link: '/concepts/task-states' },
      { text: 'Guarantees', link: '/concepts/guarantees' },
      { text: 'Choices and why', link: '/concepts/design-choices' },
    ],
  },
  {
    text: 'Reference',
    items: [
      { text: 'HTTP API', link: '/reference/http-api' },
      { text: 'Configuration', link: '/reference/configuration' },
      { text: 'Metrics', link: '/reference/metrics' },
      { text: 'Packages', link: '/reference/packages' },
    ],
  },
  {
    text: 'Operations',
    items: [
      { text: 'Production setup', link: '/operations/production' },
      { text: 'Deploying', link: '/operations/deploying' },
      { text: 'Running at scale', link: '/operations/scaling' },
      { text: 'Behind PgBouncer', link: '/operations/pgbouncer' },
      { text: 'Chaos and soak testing', link: '/operations/chaos-and-soak' },
      { text: 'Performance', link: '/operations/performance' },
    ],
  },
];

export default defineConfig({
  title: 'taskforge',
  description: 'A task scheduler on PostgreSQL: REST API, workers claiming with SKIP LOCKED, retries with backoff and jitter.',
  lang: 'en',
  // The site may be served from any folder (a file server, a CI artifact): no absolute host.
  base: '/',
  // Built from docs/ as it is: the soak runs' .txt and .json files are data, not pages.
  srcExclude: ['soak/**'],
  // Every other dead link fails the build; http://localhost:3001/dashboard/ is where npm start serves the dashboard.
  ignoreDeadLinks: 'localhostLinks',
  markdown: {
    // GitHub's heading ids, so a link like scaling.md#connection-budget works on GitHub and here alike.
    anchor: { slugify: githubSlug },
    // Shiki has no PromQL grammar: an empty one shows it plain, without a warning on every build.
    languages: [{ name: 'promql', scopeName: 'source.promql', patterns: [], repository: {} }],
  },
  themeConfig: {
    nav: [
      { text: 'Guides', link: '/guides/getting-started' },
      { text: 'Concepts', link: '/concepts/how-it-works' },
      { text: 'Reference', link: '/reference/http-api' },
      { text: 'Operations', link: '/operations/production' },
    ],
    sidebar,
    outline: [2, 3],
    search: { provider: 'local' },
  },
});
