import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBuiltSite, checkMarkdownFiles, formatBroken, localSearchIndexFiles } from './docs/links.js';

/**
 * `npm run docs:build`'s last step, after `vitepress build docs`: every internal link of the built
 * site, and of README.md and CONTRIBUTING.md (which point into it), must lead to a page that exists
 * and, with a `#fragment`, to an element with that id. VitePress fails its build on a link to a
 * missing page, but not on a missing anchor, which is what a renamed heading leaves behind. Also
 * fails when the build has no local search index. Exits 1 naming each broken link and its page.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const docsDir = join(repoRoot, 'docs');
const distDir = join(docsDir, '.vitepress', 'dist');

const site = checkBuiltSite(distDir, (page) => (page === '404.html' ? `the 404 page (${page})` : `docs/${page.replace(/\.html$/, '.md')}`));
const markdown = checkMarkdownFiles([join(repoRoot, 'README.md'), join(repoRoot, 'CONTRIBUTING.md')], { repoRoot, docsDir, distDir });
const broken = [...site.broken, ...markdown.broken];
const searchIndex = localSearchIndexFiles(distDir);

for (const link of broken) console.error(formatBroken(link));
if (searchIndex.length === 0) console.error(`no local search index in ${distDir}/assets/chunks: is themeConfig.search.provider 'local'?`);
console.log(
  `docs links: ${site.links} links on ${site.pages} built pages, ${markdown.links} in README.md and CONTRIBUTING.md; ` +
    `${broken.length} broken; search index: ${searchIndex.join(', ') || 'missing'}`,
);
process.exitCode = broken.length > 0 || searchIndex.length === 0 ? 1 : 0;
