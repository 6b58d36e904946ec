import ts from 'typescript';

export interface ExportedNames {
  /** Names that exist at run time (functions, classes, constants), sorted. */
  values: string[];
  /** Names that exist only for TypeScript (interfaces, type aliases, `export type`), sorted. */
  types: string[];
}

/**
 * Every name a module's declaration file exports, as TypeScript sees it from outside: through
 * `export … from` chains (a package's re-exports included), each sorted into values and types.
 * A name exported with `export type` anywhere along its chain is a type, even if it names a class.
 */
export function exportedNames(declarationFile: string): ExportedNames {
  const program = ts.createProgram({
    rootNames: [declarationFile],
    options: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true },
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(declarationFile);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${declarationFile} is not a module`);
  const names: ExportedNames = { values: [], types: [] };
  for (const exported of checker.getExportsOfModule(module)) {
    (isRuntimeValue(checker, exported) ? names.values : names.types).push(exported.name);
  }
  names.values.sort();
  names.types.sort();
  return names;
}

function isRuntimeValue(checker: ts.TypeChecker, exported: ts.Symbol): boolean {
  let symbol: ts.Symbol | undefined = exported;
  while (symbol && symbol.flags & ts.SymbolFlags.Alias) {
    if (symbol.declarations?.some(isTypeOnlyExport)) return false;
    symbol = checker.getImmediateAliasedSymbol(symbol);
  }
  return symbol !== undefined && (symbol.flags & ts.SymbolFlags.Value) !== 0;
}

/** `export type { A } from …`, or `export { type A } from …`. */
function isTypeOnlyExport(declaration: ts.Declaration): boolean {
  if (ts.isTypeOnlyImportOrExportDeclaration(declaration)) return true;
  return ts.isExportSpecifier(declaration) && declaration.parent.parent.isTypeOnly;
}
