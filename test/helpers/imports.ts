// The import graph of the sources, read with the TypeScript parser itself so that every form counts:
// `import`, `import type`, `export … from`, `import x = require()`, dynamic `import()` and type-level
// `import('…').T`. Used by the architecture test to hold the layers to their table of allowed edges.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';

/** One source file: its path relative to the repository root (posix separators) and its text. */
export interface Source {
  file: string;
  text: string;
}

/** One import statement: who imports, what it wrote, the 1-based line, and the resolved repo path. */
export interface Edge {
  from: string;
  specifier: string;
  line: number;
  /** The imported file relative to the repository root, `.js` read as `.ts`; undefined for packages. */
  to: string | undefined;
}

/** Every `.ts` file under `dir` (relative to `root`), read from disk. */
export function readSources(root: string, dir: string): Source[] {
  const walk = (rel: string): string[] =>
    readdirSync(join(root, rel), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(posix.join(rel, e.name)) : e.name.endsWith('.ts') ? [posix.join(rel, e.name)] : [],
    );
  return walk(dir).map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
}

function specifiers(source: Source): { specifier: string; line: number }[] {
  const sf = ts.createSourceFile(source.file, source.text, ts.ScriptTarget.Latest, true);
  const found: { specifier: string; line: number }[] = [];
  const add = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node)) {
      found.push({ specifier: node.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The edges of `sources`; relative specifiers are resolved against the importing file. */
export function edges(sources: Source[]): Edge[] {
  return sources.flatMap((source) =>
    specifiers(source).map(({ specifier, line }) => ({
      from: source.file,
      specifier,
      line,
      to: specifier.startsWith('.')
        ? posix.normalize(posix.join(posix.dirname(source.file), specifier)).replace(/\.js$/, '.ts')
        : undefined,
    })),
  );
}

/** The import cycles among `sources` (strongly connected components of more than one file, or a self-import). */
export function cycles(all: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of all) if (e.to) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  // Tarjan's algorithm, iterative enough for a source tree (recursion depth is the longest import chain).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) connect(v);
  return found;
}
