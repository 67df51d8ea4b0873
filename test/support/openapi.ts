/**
 * Checks the JSON replies the tests see against docs/openapi.yaml, so the document cannot drift from the code:
 * the test clients call {@link checkJsonReply} on every JSON reply.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const DOCUMENT_PATH = new URL('../../docs/openapi.yaml', import.meta.url);
const DOCUMENT_ID = 'twofold-openapi';
// OpenAPI keywords beside the schemas; Ajv's strict mode refuses keywords it does not know.
const OPENAPI_KEYWORDS = ['openapi', 'info', 'paths', 'components', 'servers', 'tags', 'webhooks', 'security', 'externalDocs', 'example'];

interface Operation {
  readonly responses?: Record<string, { readonly $ref?: string; readonly content?: Record<string, unknown> }>;
}
interface Document {
  readonly paths: Record<string, Partial<Record<'get' | 'post', Operation>>>;
  readonly components: { readonly responses: Record<string, { readonly content?: Record<string, unknown> }> };
}

let loaded: { document: Document; ajv: Ajv2020; compiled: Map<string, ValidateFunction> } | null = null;

/** The document and a validator for it, read and set up once per test process. */
function load(): NonNullable<typeof loaded> {
  if (loaded !== null) return loaded;
  const document = parse(readFileSync(DOCUMENT_PATH, 'utf8')) as Document;
  // Strict, except for strictTypes: `const` and `enum` stand without a `type` beside them in the document.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  // ajv-formats' default export is the plugin function; under NodeNext it arrives wrapped.
  const addFormats = addFormatsModule as unknown as { default?: (ajv: Ajv2020) => Ajv2020 } & ((ajv: Ajv2020) => Ajv2020);
  (addFormats.default ?? addFormats)(ajv);
  for (const keyword of OPENAPI_KEYWORDS) ajv.addKeyword(keyword);
  ajv.addSchema(document as object, DOCUMENT_ID);
  loaded = { document, ajv, compiled: new Map() };
  return loaded;
}

function pointer(...segments: string[]): string {
  return segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** The JSON pointer of the schema answering `status` to `method` on `template`, or null when none is documented. */
function responsePointer(document: Document, template: string, method: 'get' | 'post', status: number): string | null {
  const responses = document.paths[template]?.[method]?.responses;
  if (responses === undefined) return null;
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((candidate) => responses[candidate] !== undefined);
  if (key === undefined) return null;
  const response = responses[key];
  const ref = response?.$ref;
  if (ref !== undefined) {
    const name = ref.replace('#/components/responses/', '');
    return document.components.responses[name]?.content?.['application/json'] === undefined
      ? null
      : `#/${pointer('components', 'responses', name, 'content', 'application/json', 'schema')}`;
  }
  return response?.content?.['application/json'] === undefined
    ? null
    : `#/${pointer('paths', template, method, 'responses', key, 'content', 'application/json', 'schema')}`;
}

function validatorFor(schemaPointer: string): ValidateFunction {
  const { ajv, compiled } = load();
  let validate = compiled.get(schemaPointer);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: `${DOCUMENT_ID}${schemaPointer}` });
    compiled.set(schemaPointer, validate);
  }
  return validate;
}

/**
 * The documented path for a pathname of twofold's, or null for the application's own routes: `urls` maps
 * each of twofold's URLs as configured (prefix and renames included) to its documented path.
 */
export function documentedPath(pathname: string, urls: ReadonlyMap<string, string>): string | null {
  const exact = urls.get(pathname);
  if (exact !== undefined) return exact;
  for (const [url, template] of urls) {
    if (template === '/tf-setup' && pathname.startsWith(`${url}/`) && /^[A-Za-z0-9_-]{1,64}$/.test(pathname.slice(url.length + 1)))
      return '/tf-setup/{token}';
  }
  return null;
}

/** The documented paths keyed by themselves: for clients that do not know the configuration, with the URL prefix to strip. */
export function defaultUrls(prefix = ''): Map<string, string> {
  return new Map(
    Object.keys(load().document.paths)
      .filter((path) => !path.includes('{'))
      .map((path) => [prefix + path, path]),
  );
}

/**
 * Throws an assertion error naming the path, status and schema error when the JSON reply `body` to `method`
 * `pathname` does not match docs/openapi.yaml. Twofold's own paths must be documented for the status; the
 * application's routes are checked only when they carry a guard's reply (401 envelope, 403 `tf_required`).
 */
export function checkJsonReply(input: { method: string; pathname: string; status: number; body: unknown; urls: ReadonlyMap<string, string> }): void {
  const { document } = load();
  const method = input.method === 'POST' ? 'post' : 'get';
  const template = documentedPath(input.pathname, input.urls);
  let schemaPointer: string | null;
  let where: string;
  if (template === null) {
    schemaPointer = guardPointer(input.status, input.body);
    if (schemaPointer === null) return;
    where = `${input.method} ${input.pathname} (an application route's guard reply)`;
  } else {
    schemaPointer = responsePointer(document, template, method, input.status);
    where = `${input.method} ${input.pathname} (${template})`;
    if (schemaPointer === null)
      throw new OpenApiMismatch(`${where} answered ${input.status}, which docs/openapi.yaml does not document: ${JSON.stringify(input.body)}`);
    const meta = (input.body as { meta?: { code?: unknown } } | null)?.meta;
    if (meta !== undefined && meta.code !== input.status)
      throw new OpenApiMismatch(`${where} answered ${input.status} with meta.code ${String(meta.code)}`);
  }
  const validate = validatorFor(schemaPointer);
  if (!validate(input.body)) {
    const errors = (validate.errors ?? [])
      .map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`)
      .join('; ');
    throw new OpenApiMismatch(
      `${where} answered ${input.status}, not as docs/openapi.yaml says (${schemaPointer}): ${errors}\nbody: ${JSON.stringify(input.body)}`,
    );
  }
}

function guardPointer(status: number, body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  if (status === 403 && 'tf_required' in body)
    return `#/${pointer('components', 'responses', 'GuardTwoFactorRequired', 'content', 'application/json', 'schema')}`;
  if (status === 401 && 'meta' in body)
    return `#/${pointer('components', 'responses', 'GuardUnauthenticated', 'content', 'application/json', 'schema')}`;
  return null;
}

/** A reply that does not match docs/openapi.yaml. */
export class OpenApiMismatch extends Error {
  override readonly name = 'AssertionError';
}

/** Compiles the schema of every documented JSON reply (Ajv's strict mode refuses unknown keywords) and returns how many. */
export function compileEveryReply(): number {
  const { document } = load();
  let count = 0;
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const method of ['get', 'post'] as const) {
      for (const status of Object.keys(operations[method]?.responses ?? {})) {
        const schemaPointer = responsePointer(document, template, method, Number(status));
        if (schemaPointer === null) continue;
        validatorFor(schemaPointer);
        count += 1;
      }
    }
  }
  return count;
}
