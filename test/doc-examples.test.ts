/**
 * The `@example` blocks of the doc comments in `src/` compile: examples that are never compiled drift from the
 * code they show. Each ```ts block becomes a module that imports the names it uses from its own source file or
 * from the package entries, and takes the usual objects of an application (`security`, `user`, …) as given
 * (`EXAMPLE_GLOBALS`); it is then type-checked against the sources, as `tsc` checks the README's examples.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
/** Where the generated modules pretend to live: beside `src/`, so that `../src/…` and `twofold-auth` resolve. */
const exampleDir = join(root, '.doc-examples');

/**
 * What an example may use without declaring it: the objects an application already has at hand, and the inputs
 * that a fragment names (a hash to compare, a key, a form), each with the type the example needs.
 */
const EXAMPLE_GLOBALS = `
import type { Express } from 'express';
import type { Clock, Datastore, KeyRing, Security, SmsSenderBase, TfPluginBase, Totp, User } from 'twofold-auth';
import type { FlowContext } from '../src/flows/context.js';
import type { OtpKey } from '../src/otp/hotp.js';
import type { LayoutContext } from '../src/http/templates/layout.js';
declare global {
  // An application's objects.
  const security: Security;
  const datastore: Datastore;
  const keyring: KeyRing;
  const clock: Clock;
  const user: User;
  const app: Express;
  const audit: { write(name: string, payload: unknown): void };
  function showError(): void;
  // What fragments take as given.
  const code: string;
  const codeId: string;
  const storedHash: string;
  const computedHash: string;
  const expected: number;
  const given: number;
  const key: OtpKey;
  const totp: Totp;
  const uri: string;
  const form: { code: string };
  const options: { algorithm: string; digits: number };
  const userText: string;
  const label: string;
  const qrSvg: string;
  const context: FlowContext;
  const pageContext: LayoutContext;
  const plugin: TfPluginBase;
  // The classes other examples define (\`AcmeSmsSender\` in src/delivery/sms.ts, a PIN factor).
  const AcmeSmsSender: new (apiKey: string) => SmsSenderBase;
  const PinTfPlugin: new () => TfPluginBase;
}
export {};
`;

/** The entries an application imports from, in the order an unqualified name is looked up. */
const ENTRIES: ReadonlyArray<{ specifier: string; file: string }> = [
  { specifier: 'twofold-auth', file: 'src/index.ts' },
  { specifier: 'twofold-auth/storage', file: 'src/storage.ts' },
  { specifier: 'twofold-auth/express', file: 'src/express.ts' },
  { specifier: 'twofold-auth/fastify', file: 'src/fastify.ts' },
  { specifier: 'twofold-auth/hono', file: 'src/hono.ts' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.test-support.ts') ? [path] : [];
  });
}

/** The names a module exports, read from its syntax: exported declarations and `export { … }` lists. */
function exportedNames(path: string): Set<string> {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022);
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) names.add(element.name.text);
    } else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
      } else if ('name' in statement && statement.name !== undefined && ts.isIdentifier(statement.name as ts.Node)) {
        names.add((statement.name as ts.Identifier).text);
      }
    }
  }
  return names;
}

/** The names an example declares or imports at its top level; these are not imported for it. */
function declaredNames(code: string): Set<string> {
  const source = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022);
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name !== undefined) names.add(clause.name.text);
      if (clause?.namedBindings !== undefined) {
        if (ts.isNamespaceImport(clause.namedBindings)) names.add(clause.namedBindings.name.text);
        else for (const element of clause.namedBindings.elements) names.add(element.name.text);
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
    } else if ('name' in statement && statement.name !== undefined && ts.isIdentifier(statement.name as ts.Node)) {
      names.add((statement.name as ts.Identifier).text);
    }
  }
  return names;
}

interface Example {
  /** `src/…:line`, where the block starts. */
  readonly where: string;
  readonly sourcePath: string;
  readonly code: string;
}

/** Every ```ts block under an `@example` tag of a doc comment in `src/`. */
function examples(): Example[] {
  return sourceFiles(join(root, 'src')).flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    return [...text.matchAll(/\/\*\*[\s\S]*?\*\//g)].flatMap((comment) => {
      const lines = comment[0].split('\n').map((line) => line.replace(/^\s*\*(?: |$)/, '').replace(/^\/\*\*\s?/, ''));
      const found: Example[] = [];
      let inExample = false;
      let block: string[] | null = null;
      let blockLine = 0;
      lines.forEach((line, index) => {
        if (block !== null) {
          if (/^```\s*$/.test(line)) {
            const line0 = text.slice(0, comment.index).split('\n').length + blockLine;
            found.push({ where: `${relative(root, path)}:${line0}`, sourcePath: path, code: block.join('\n') });
            block = null;
          } else block.push(line);
        } else if (/^@example\b/.test(line)) inExample = true;
        else if (/^@\w/.test(line)) inExample = false;
        else if (inExample && /^```(ts|typescript)\s*$/.test(line)) {
          block = [];
          blockLine = index + 1;
        }
      });
      return found;
    });
  });
}

/** The module an example becomes: imports for the names it uses and does not declare, then the example. */
function exampleModule(example: Example, entryExports: ReadonlyArray<{ specifier: string; names: Set<string> }>): string {
  const used = new Set(example.code.match(/[A-Za-z_$][\w$]*/g) ?? []);
  const declared = declaredNames(example.code);
  const own = exportedNames(example.sourcePath);
  const ownSpecifier = relative(exampleDir, example.sourcePath).replace(/\.ts$/, '.js');
  const imports = new Map<string, string[]>();
  for (const name of used) {
    if (declared.has(name)) continue;
    const specifier = own.has(name) ? ownSpecifier : entryExports.find((entry) => entry.names.has(name))?.specifier;
    if (specifier !== undefined) imports.set(specifier, [...(imports.get(specifier) ?? []), name]);
  }
  const header = [...imports].map(([specifier, names]) => `import { ${names.join(', ')} } from '${specifier}';`).join('\n');
  // An example's own relative imports are relative to its source file.
  const code = example.code.replace(/(from\s+')(\.{1,2}\/[^']+)'/g, (_match, from: string, specifier: string) => {
    const target = relative(exampleDir, resolve(dirname(example.sourcePath), specifier));
    return `${from}${target.startsWith('.') ? target : `./${target}`}'`;
  });
  return `${header}\n${code}\nexport {};\n`;
}

describe('the @example blocks of the doc comments', () => {
  const found = examples();

  it('are found', () => {
    expect(found.length).toBeGreaterThan(40);
  });

  it('type-check against the sources', () => {
    const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
    const options = { ...ts.parseJsonConfigFileContent(config.config, ts.sys, root).options, noEmit: true };
    const entryExports = ENTRIES.map(({ specifier, file }) => ({ specifier, names: exportedNames(join(root, file)) }));
    const modules = new Map<string, { where: string; text: string }>();
    found.forEach((example, index) => modules.set(join(exampleDir, `example-${index}.ts`), { where: example.where, text: exampleModule(example, entryExports) }));
    const globalsPath = join(exampleDir, 'globals.ts');
    const virtual = new Map<string, string>([[globalsPath, EXAMPLE_GLOBALS], ...[...modules].map(([path, { text }]) => [path, text] as [string, string])]);

    const host = ts.createCompilerHost(options);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (path) => virtual.has(path) || fileExists.call(host, path);
    host.readFile = (path) => virtual.get(path) ?? readFile.call(host, path);
    host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
      const text = virtual.get(path);
      return text === undefined ? getSourceFile.call(host, path, languageVersion, onError, shouldCreate) : ts.createSourceFile(path, text, languageVersion, true);
    };
    const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });

    const problems = [...virtual.keys()].flatMap((path) => {
      const file = program.getSourceFile(path);
      if (file === undefined) return [`${path}: not in the program`];
      return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((diagnostic) => {
        const where = modules.get(path)?.where ?? relative(root, path);
        const line = diagnostic.start === undefined ? '' : ` (example line ${file.getLineAndCharacterOfPosition(diagnostic.start).line + 1})`;
        return `${where}${line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      });
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
