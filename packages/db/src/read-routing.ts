import {
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type TransactionSettings,
} from 'kysely';

/** Where reads may go: asked each time a connection is taken, so the caller decides per request or per load. */
export interface ReadRouting {
  /** True sends the next connection to the replica (only read-only work may run there). */
  readsFromReplica(): boolean;
  /** The replica refused a connection: this connection comes from the primary instead. */
  onReplicaUnreachable(error: unknown): void;
}

/**
 * A driver over two servers: each connection comes from the primary unless the routing says this work reads from
 * the replica. A transaction stays on the connection it began on, so a write and every read inside its transaction
 * run on the primary.
 */
class ReadRoutingDriver implements Driver {
  private readonly owners = new WeakMap<DatabaseConnection, Driver>();

  constructor(
    private readonly primary: Driver,
    private readonly replica: Driver,
    private readonly routing: ReadRouting,
  ) {}

  async init(): Promise<void> {
    await this.primary.init();
    await this.replica.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.routing.readsFromReplica()) {
      try {
        return this.own(await this.replica.acquireConnection(), this.replica);
      } catch (error) {
        this.routing.onReplicaUnreachable(error);
      }
    }
    return this.own(await this.primary.acquireConnection(), this.primary);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.ownerOf(connection).beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.ownerOf(connection).commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.ownerOf(connection).rollbackTransaction(connection);
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.ownerOf(connection).savepoint?.(connection, name, compileQuery);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.ownerOf(connection).rollbackToSavepoint?.(connection, name, compileQuery);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.ownerOf(connection).releaseSavepoint?.(connection, name, compileQuery);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.ownerOf(connection).releaseConnection(connection);
  }

  async destroy(): Promise<void> {
    await Promise.all([this.primary.destroy(), this.replica.destroy()]);
  }

  private own(connection: DatabaseConnection, driver: Driver): DatabaseConnection {
    this.owners.set(connection, driver);
    return connection;
  }

  private ownerOf(connection: DatabaseConnection): Driver {
    return this.owners.get(connection) ?? this.primary;
  }
}

/** A PostgreSQL dialect whose connections come from `primary` or `replica` as `routing` decides. */
export function readRoutingDialect(primary: Dialect, replica: Dialect, routing: ReadRouting): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new ReadRoutingDriver(primary.createDriver(), replica.createDriver(), routing),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}
