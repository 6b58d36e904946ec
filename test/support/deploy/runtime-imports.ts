import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../processes.js';

/** What one built file imports, by kind. */
interface FileImports {
  /** String specifiers of static imports, re-exports and `import('…')`. */
  specifiers: string[];
  /** Line numbers of `import(expression)` whose module is computed at run time. */
  computedImports: number[];
  /** Line numbers of `require(…)` calls (CommonJS inside ES modules would be a surprise). */
  requires: number[];
}

function importsOf(file: string): FileImports {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found: FileImports = { specifiers: [], computedImports: [], requires: [] };
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.specifiers.push(argument.text);
      else found.computedImports.push(lineOf(node));
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      found.requires.push(lineOf(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function readJson(path: string): Record<string, any> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
}

/** The workspaces of the root package.json, by package name: their folder and entry file. */
function workspaces(): Map<string, { dir: string; entry: string }> {
  const root = readJson(join(REPO_ROOT, 'package.json'));
  const found = new Map<string, { dir: string; entry: string }>();
  for (const dir of root.workspaces as string[]) {
    const manifest = readJson(join(REPO_ROOT, dir, 'package.json'));
    const entry = manifest.exports?.['.']?.default ?? manifest.main;
    if (entry) found.set(manifest.name, { dir, entry: join(dir, entry) });
  }
  return found;
}

/** The folder (repository-relative, '' for the root) of the package.json nearest above a file. */
function owningPackage(file: string): string {
  let dir = dirname(file);
  while (dir !== '.' && !existsSync(join(REPO_ROOT, dir, 'package.json'))) dir = dirname(dir);
  return dir === '.' ? '' : dir;
}

/** A third-party package the built code imports, and the file that first imports it. */
export interface PackageImport {
  name: string;
  importer: string;
  /** The folder of the package.json that must declare it ('' for the root). */
  owner: string;
}

export interface ImportGraph {
  /** Repository-relative paths of every built file loaded, entry point included. */
  files: string[];
  packages: PackageImport[];
  /** Built-in modules imported (node:fs…), for the record. */
  builtins: string[];
  /** Anything that could not be checked statically: computed imports, requires, missing files. */
  problems: string[];
  /** `file:line` of each computed `import(…)`. */
  computedImports: string[];
}

/**
 * Follows the imports of a built entry point (repository-relative) through relative paths and
 * workspace packages, as Node would load them, and lists the third-party packages reached.
 * Third-party packages are not entered: npm installs their own dependencies.
 */
export function importGraph(entry: string): ImportGraph {
  const byName = workspaces();
  const graph: ImportGraph = { files: [], packages: [], builtins: [], problems: [], computedImports: [] };
  const queue = [entry];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const absolute = join(REPO_ROOT, file);
    if (!existsSync(absolute)) {
      graph.problems.push(`${file} does not exist (run npm run build first)`);
      continue;
    }
    graph.files.push(file);
    const found = importsOf(absolute);
    graph.computedImports.push(...found.computedImports.map((line) => `${file}:${line}`));
    graph.problems.push(...found.requires.map((line) => `${file}:${line} calls require()`));
    for (const specifier of found.specifiers) {
      if (specifier.startsWith('.')) queue.push(relative(REPO_ROOT, resolve(dirname(absolute), specifier)));
      else if (isBuiltin(specifier)) graph.builtins.push(specifier);
      else if (byName.has(packageName(specifier))) {
        if (specifier !== packageName(specifier)) graph.problems.push(`${file} imports a subpath of a workspace: ${specifier}`);
        queue.push(byName.get(specifier)!.entry);
      } else graph.packages.push({ name: packageName(specifier), importer: file, owner: owningPackage(file) });
    }
  }
  return graph;
}

/**
 * Why a package would be missing after `npm ci --omit=dev --omit=optional`, or undefined when it
 * is installed: the lockfile says which packages only development or optional edges reach.
 */
export function missingInProduction(name: string, owner: string, omitOptional: boolean): string | undefined {
  const lock = readJson(join(REPO_ROOT, 'package-lock.json'));
  const entry = lock.packages[join(owner, 'node_modules', name)] ?? lock.packages[`node_modules/${name}`];
  if (!entry) return 'not in package-lock.json';
  if (entry.dev) return 'a development-only package in package-lock.json';
  if (entry.devOptional) return 'reached only by development or optional dependencies in package-lock.json';
  if (omitOptional && entry.optional) return 'optional in package-lock.json, and the image omits optional packages';
  return undefined;
}

/** Whether the package.json at `owner` ('' for the root) lists `name` in `dependencies`. */
export function declaredDependency(owner: string, name: string): boolean {
  return Boolean(readJson(join(REPO_ROOT, owner, 'package.json')).dependencies?.[name]);
}
