// Finds state that lives in a module rather than in the world it describes: such state outlives
// one world and is shared by every world in the process (tests, batches, a class's many plays).
// It reads the sources with the TypeScript compiler and reports, as `file:line: what`:
// - a `let` or `var` at the top of a module, or in a function called once as the module loads;
// - a top-level `const` (or a class's static field) holding a Map, Set, array or object that is
//   written anywhere in the program: by assignment, `delete`, `++`, or a method that changes it;
// - a class's static field that is not readonly;
// - a top-level `const` made by `new` of anything but a known immutable class, and a top-level
//   regular expression with the g or y flag (its lastIndex is state).
import ts from 'typescript';
import { relative } from 'node:path';

/** Methods that change the Map, Set, array or Date they are called on. */
const MUTATORS = new Set([
  'set',
  'add',
  'delete',
  'clear',
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
  'setTime',
]);

/** Classes whose instances exist to be changed: a top-level one is state only once something writes it. */
const CONTAINERS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Date']);

/** Calls whose result is part of what they are called on: a write to it writes the container. */
const VIEWS = new Set(['get', 'at']);

/** Classes whose instances cannot be changed after they are made. */
const IMMUTABLE_CLASSES = new Set(['RegExp', 'TextDecoder', 'TextEncoder', 'Intl.NumberFormat', 'Intl.DateTimeFormat']);

const unwrap = (e: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(e) ||
  ts.isAsExpression(e) ||
  ts.isSatisfiesExpression(e) ||
  ts.isNonNullExpression(e) ||
  ts.isTypeAssertionExpression(e)
    ? unwrap(e.expression)
    : e;

/** A top-level function called as the module loads: `(() => { ... })()`. */
function calledAtLoad(fn: ts.Node): boolean {
  let call: ts.Node = fn;
  while (ts.isParenthesizedExpression(call.parent)) call = call.parent;
  return ts.isCallExpression(call.parent) && call.parent.expression === call && !enclosingFunction(call.parent);
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionLike(p) || ts.isClassStaticBlockDeclaration(p)) return p;
  return undefined;
}

/** Declared where it lives as long as the module: at its top, or in a function run once at load. */
function moduleLifetime(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return !fn || ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && calledAtLoad(fn));
}

function isModuleVariable(decl: ts.Declaration): decl is ts.VariableDeclaration {
  return ts.isVariableDeclaration(decl) && moduleLifetime(decl);
}

function isStaticField(decl: ts.Declaration): decl is ts.PropertyDeclaration {
  return ts.isPropertyDeclaration(decl) && hasModifier(decl, ts.SyntaxKind.StaticKeyword);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);
}

/**
 * Every place under `files` where a module keeps mutable state, as `file:line: what`, with paths
 * relative to `root`; empty when there is none.
 */
export function findModuleState(files: string[], root: string): string[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const found = new Map<string, string>();
  const report = (node: ts.Node, what: string) => {
    const sf = node.getSourceFile();
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    const at = `${relative(root, sf.fileName)}:${line + 1}`;
    if (!found.has(at)) found.set(at, `${at}: ${what}`);
  };
  const declarationOf = (e: ts.Expression): ts.Declaration | undefined => {
    let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol?.valueDeclaration;
  };
  /** Where the storage written through `a.b[c].get(d)!.e` is declared: a static field on the way, else the leftmost name. */
  const storageOf = (e: ts.Expression): ts.Declaration | undefined => {
    const x = unwrap(e);
    if (ts.isIdentifier(x)) return declarationOf(x);
    if (ts.isPropertyAccessExpression(x)) {
      const field = declarationOf(x);
      return field && isStaticField(field) ? field : storageOf(x.expression);
    }
    if (ts.isElementAccessExpression(x)) return storageOf(x.expression);
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && VIEWS.has(x.expression.name.text))
      return storageOf(x.expression.expression);
    return undefined;
  };
  /** A write through `target`: reported where the written storage is declared, when it lives as long as its module. */
  const written = (target: ts.Expression, how: string) => {
    const decl = storageOf(target);
    if (!decl || !files.includes(decl.getSourceFile().fileName)) return;
    if (isModuleVariable(decl)) report(decl, `module-level ${decl.name.getText()} is written (${how})`);
    else if (isStaticField(decl)) report(decl, `static ${decl.name.getText()} is written (${how})`);
  };

  /** What in a value of this type can be changed, looking `depth` properties deep; null when nothing. */
  const mutableIn = (type: ts.Type, depth: number): string | null => {
    const name = type.getSymbol()?.getName();
    if (checker.isArrayType(type)) return name === 'Array' ? 'an array' : null;
    if (name && CONTAINERS.has(name)) return `a ${name}`;
    if (checker.isTupleType(type)) return (type as ts.TupleTypeReference).target.readonly ? null : 'an array';
    if (!(type.flags & ts.TypeFlags.Object) || type.getCallSignatures().length > 0 || depth === 0) return null;
    for (const prop of type.getProperties()) {
      // A mapped type's fields (Readonly<T>) have no declaration of their own: only what they hold is asked.
      const decl = prop.valueDeclaration;
      if (decl && (ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl))) continue;
      if (decl && !(ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Readonly))
        return `a writable field ${prop.getName()}`;
      const inner = mutableIn(checker.getTypeOfSymbol(prop), depth - 1);
      if (inner) return `${inner} in ${prop.getName()}`;
    }
    return null;
  };

  const visit = (node: ts.Node): void => {
    if (ts.isVariableStatement(node) && moduleLifetime(node)) {
      const flags = node.declarationList.flags;
      if (!(flags & ts.NodeFlags.Const)) {
        for (const d of node.declarationList.declarations)
          report(d, `module-level ${flags & ts.NodeFlags.Let ? 'let' : 'var'} ${d.name.getText()}`);
      } else {
        for (const d of node.declarationList.declarations) {
          const init = d.initializer && unwrap(d.initializer);
          if (init && ts.isNewExpression(init) && !IMMUTABLE_CLASSES.has(init.expression.getText())) {
            const cls = init.expression.getText();
            if (!CONTAINERS.has(cls)) report(d, `module-level ${d.name.getText()} holds a new ${cls}`);
          }
          if (init && ts.isCallExpression(init)) {
            const held = mutableIn(checker.getTypeAtLocation(d.name), 2);
            if (held) report(d, `module-level ${d.name.getText()} holds ${held}, made by a call`);
          }
          if (
            init &&
            ts.isRegularExpressionLiteral(init) &&
            /[gy][a-z]*$/.test(init.text.slice(init.text.lastIndexOf('/')))
          )
            report(d, `module-level ${d.name.getText()} is a regular expression with lastIndex state`);
        }
      }
    }
    if (ts.isPropertyDeclaration(node) && hasModifier(node, ts.SyntaxKind.StaticKeyword)) {
      if (!hasModifier(node, ts.SyntaxKind.ReadonlyKeyword))
        report(node, `static ${node.name.getText()} is not readonly`);
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    ) {
      const left = unwrap(node.left);
      if (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left))
        written(left.expression, 'assignment');
    }
    if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
    ) {
      const operand = unwrap(node.operand);
      if (ts.isPropertyAccessExpression(operand) || ts.isElementAccessExpression(operand))
        written(operand.expression, node.operator === ts.SyntaxKind.PlusPlusToken ? '++' : '--');
    }
    if (ts.isDeleteExpression(node)) {
      const operand = unwrap(node.expression);
      if (ts.isPropertyAccessExpression(operand) || ts.isElementAccessExpression(operand))
        written(operand.expression, 'delete');
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if (MUTATORS.has(method)) written(node.expression.expression, `.${method}()`);
      // Object.assign(target, ...) writes its target.
      if (method === 'assign' && node.expression.expression.getText() === 'Object' && node.arguments[0])
        written(node.arguments[0], 'Object.assign');
    }
    ts.forEachChild(node, visit);
  };
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (sf) visit(sf);
  }
  return [...found.values()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
