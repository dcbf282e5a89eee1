import { CompiledQuery, sql, type Compilable, type Kysely } from 'kysely';

/** A query the API runs on a hot path, built by the same repository function the endpoint uses. */
export interface HotQuery<DB> {
  name: string;
  /** May read the database first, e.g. to pick a real id or a cursor from the middle of a list. */
  build: (db: Kysely<DB>) => Compilable | Promise<Compilable>;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Alias?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Actual Total Time'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

export interface PlanReport {
  name: string;
  sql: string;
  executionMs: number;
  indexesUsed: string[];
  /**
   * Scans that read a table of at least `largeTableRows` rows whole: sequential scans, and index scans that return
   * at least half its rows (the same work through an index that does not narrow it). The plans to fix.
   */
  largeSeqScans: string[];
  text: string;
}

function walk(node: PlanNode, visit: (node: PlanNode, depth: number) => void, depth = 0): void {
  visit(node, depth);
  for (const child of node.Plans ?? []) walk(child, visit, depth + 1);
}

function describeNode(node: PlanNode): string {
  const target = node['Index Name']
    ? ` using ${node['Index Name']} on ${node['Relation Name'] ?? '?'}`
    : node['Relation Name']
      ? ` on ${node['Relation Name']}`
      : '';
  const time =
    node['Actual Total Time'] === undefined ? '' : ` time=${node['Actual Total Time'].toFixed(3)} ms`;
  const buffers = ` buffers hit=${node['Shared Hit Blocks'] ?? 0} read=${node['Shared Read Blocks'] ?? 0}`;
  return `${node['Node Type']}${target} (rows=${node['Actual Rows'] ?? '?'} loops=${node['Actual Loops'] ?? '?'}${time}${buffers})`;
}

/** Row estimates of every table, from the planner's statistics (run ANALYZE after loading data). */
export async function tableSizes<DB>(db: Kysely<DB>): Promise<Map<string, number>> {
  const { rows } = await sql<{ name: string; rows: number }>`SELECT relname AS name, reltuples::float8 AS rows
    FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`.execute(db);
  return new Map(rows.map((row) => [row.name, row.rows]));
}

type ExplainOutput = { Plan: PlanNode; 'Execution Time': number } | undefined;

/** ANALYZE executes the statement: in a transaction rolled back afterwards, so profiling a write changes nothing. */
async function analyzeAndRollBack<DB>(db: Kysely<DB>, compiled: CompiledQuery): Promise<ExplainOutput> {
  let output: ExplainOutput;
  const rollBack = new Error('roll back the analyzed statement');
  try {
    await db.transaction().execute(async (trx) => {
      const result = await trx.executeQuery<{ 'QUERY PLAN': [NonNullable<ExplainOutput>] }>(
        CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${compiled.sql}`, [
          ...compiled.parameters,
        ]),
      );
      output = result.rows[0]?.['QUERY PLAN'][0];
      throw rollBack;
    });
  } catch (error) {
    if (error !== rollBack) throw error;
  }
  return output;
}

function readsWhole(node: PlanNode, tableRows: number): boolean {
  if (node['Node Type'] === 'Seq Scan') return true;
  const rowsRead = (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1);
  return rowsRead * 2 >= tableRows;
}

/** Runs EXPLAIN (ANALYZE, BUFFERS) on one hot query and reports the indexes it used and any large seq scan. */
export async function explainHotQuery<DB>(
  db: Kysely<DB>,
  hotQuery: HotQuery<DB>,
  sizes: Map<string, number>,
  largeTableRows: number,
): Promise<PlanReport> {
  const compiled = (await hotQuery.build(db)).compile();
  const output = await analyzeAndRollBack(db, compiled);
  if (!output) throw new Error(`EXPLAIN returned no plan for ${hotQuery.name}`);
  const indexesUsed = new Set<string>();
  const largeSeqScans: string[] = [];
  const lines: string[] = [];
  walk(output.Plan, (node, depth) => {
    lines.push(`${'  '.repeat(depth)}→ ${describeNode(node)}`);
    if (node['Index Name']) indexesUsed.add(node['Index Name']);
    const relation = node['Relation Name'];
    const tableRows = relation ? (sizes.get(relation) ?? 0) : 0;
    if (relation && tableRows >= largeTableRows && readsWhole(node, tableRows)) largeSeqScans.push(relation);
  });
  return {
    name: hotQuery.name,
    sql: compiled.sql,
    executionMs: output['Execution Time'],
    indexesUsed: [...indexesUsed].sort(),
    largeSeqScans,
    text: lines.join('\n'),
  };
}
