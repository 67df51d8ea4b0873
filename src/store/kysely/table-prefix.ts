/** The table prefix: a Kysely plugin that gives twofold's tables, indexes and constraints their prefixed names in every query and migration. */
import {
  IdentifierNode,
  OperationNodeTransformer,
  SchemableIdentifierNode,
  type CheckConstraintNode,
  type CreateIndexNode,
  type DropConstraintNode,
  type DropIndexNode,
  type ForeignKeyConstraintNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimaryKeyConstraintNode,
  type QueryId,
  type QueryResult,
  type RenameConstraintNode,
  type RootOperationNode,
  type TableNode,
  type UniqueConstraintNode,
  type UnknownRow,
} from 'kysely';
import { ConfigError } from '../../errors.js';
import type { TwofoldDb } from './tables.js';

/** The prefix when none is given: twofold's tables are `twofold_users`, `twofold_sessions`, … */
export const defaultTablePrefix = 'twofold_';

/**
 * A lower-case letter, then at most 19 letters, digits or `_`. Lower case, because MySQL's table names follow
 * the file system's case rules; at most 20 characters, because the longest name it heads,
 * `one_time_codes_user_id_purpose_unique` (37), must stay within PostgreSQL's 63 (longer names are cut, and
 * two cut names can meet). Never empty: the prefix is what keeps twofold's `users` and `sessions` apart from
 * the application's own.
 */
const tablePrefixPattern = /^[a-z][a-z0-9_]{0,19}$/;

/** The logical names the code uses; only these are prefixed, so the migrator's own tables pass as they are named. */
const twofoldTables: ReadonlySet<string> = new Set<keyof TwofoldDb>(['users', 'sessions', 'recovery_codes', 'one_time_codes', 'rate_limits', 'trusted_devices']);

/**
 * Checks a table prefix and returns it.
 *
 * @param key The option or variable it came from, named in the error.
 * @throws ConfigError `CONFIG_INVALID` when it is empty, too long, or not `[a-z][a-z0-9_]*`.
 */
export function checkTablePrefix(prefix: string, key = 'tablePrefix'): string {
  if (!tablePrefixPattern.test(prefix)) {
    throw new ConfigError(key, `must be a lower-case letter then at most 19 of a-z, 0-9 and _ (such as 'twofold_'), not ${JSON.stringify(prefix)}.`);
  }
  return prefix;
}

/**
 * Prefixes twofold's table names (`users` → `twofold_users`) wherever a query names a table, and every index
 * and constraint name in a schema query: PostgreSQL's index names are global to the schema, and MySQL's
 * foreign-key names too, so `users_email_unique` could meet an application's own.
 */
export class TablePrefixPlugin implements KyselyPlugin {
  readonly #transformer: PrefixTransformer;

  constructor(readonly prefix: string) {
    this.#transformer = new PrefixTransformer(checkTablePrefix(prefix));
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

class PrefixTransformer extends OperationNodeTransformer {
  constructor(private readonly prefix: string) {
    super();
  }

  protected override transformTable(node: TableNode): TableNode {
    const name = node.table.identifier.name;
    if (!twofoldTables.has(name)) return node;
    return { ...node, table: { ...node.table, identifier: IdentifierNode.create(this.prefix + name) } };
  }

  protected override transformCreateIndex(node: CreateIndexNode, queryId?: QueryId): CreateIndexNode {
    const transformed = super.transformCreateIndex(node, queryId);
    return { ...transformed, name: this.#identifier(transformed.name) };
  }

  protected override transformDropIndex(node: DropIndexNode, queryId?: QueryId): DropIndexNode {
    const transformed = super.transformDropIndex(node, queryId);
    const name = this.#identifier(transformed.name.identifier);
    return { ...transformed, name: transformed.name.schema ? SchemableIdentifierNode.createWithSchema(transformed.name.schema.name, name.name) : SchemableIdentifierNode.create(name.name) };
  }

  protected override transformPrimaryKeyConstraint(node: PrimaryKeyConstraintNode, queryId?: QueryId): PrimaryKeyConstraintNode {
    const transformed = super.transformPrimaryKeyConstraint(node, queryId);
    return this.#named(transformed);
  }

  protected override transformUniqueConstraint(node: UniqueConstraintNode, queryId?: QueryId): UniqueConstraintNode {
    const transformed = super.transformUniqueConstraint(node, queryId);
    return this.#named(transformed);
  }

  protected override transformForeignKeyConstraint(node: ForeignKeyConstraintNode, queryId?: QueryId): ForeignKeyConstraintNode {
    const transformed = super.transformForeignKeyConstraint(node, queryId);
    return this.#named(transformed);
  }

  protected override transformCheckConstraint(node: CheckConstraintNode, queryId?: QueryId): CheckConstraintNode {
    const transformed = super.transformCheckConstraint(node, queryId);
    return this.#named(transformed);
  }

  protected override transformDropConstraint(node: DropConstraintNode, queryId?: QueryId): DropConstraintNode {
    const transformed = super.transformDropConstraint(node, queryId);
    return { ...transformed, constraintName: this.#identifier(transformed.constraintName) };
  }

  protected override transformRenameConstraint(node: RenameConstraintNode, queryId?: QueryId): RenameConstraintNode {
    const transformed = super.transformRenameConstraint(node, queryId);
    return { ...transformed, oldName: this.#identifier(transformed.oldName), newName: this.#identifier(transformed.newName) };
  }

  /** A constraint with its name (when it has one) prefixed. */
  #named<T extends { readonly name?: IdentifierNode }>(node: T): T {
    return node.name === undefined ? node : { ...node, name: this.#identifier(node.name) };
  }

  #identifier(node: IdentifierNode): IdentifierNode {
    return IdentifierNode.create(this.prefix + node.name);
  }
}
