import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// mentors.expertise is stored as json text printed compactly, [{"slug":…,"name":…}] (the API's key order), instead
// of jsonb: the answers PostgreSQL serializes embed a json value as it is stored, where a jsonb one is printed
// again, with a space after every colon and comma, for every mentor of every page.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE mentors ALTER COLUMN expertise DROP DEFAULT`,
    `ALTER TABLE mentors ALTER COLUMN expertise TYPE json USING expertise::json`,
    `ALTER TABLE mentors ALTER COLUMN expertise SET DEFAULT '[]'`,
    `CREATE OR REPLACE FUNCTION mentors_expertise_refresh(mentor_ids integer[]) RETURNS void LANGUAGE sql AS $$
    UPDATE mentors m SET expertise = (
      SELECT ('[' || coalesce(string_agg(row_to_json(e)::text, ',' ORDER BY e.name, e.slug), '') || ']')::json
      FROM (SELECT t.slug, t.name FROM mentor_expertise me JOIN expertise_tags t ON t.id = me.tag_id
            WHERE me.mentor_id = m.id) e)
    WHERE m.id = ANY (mentor_ids)
  $$`,
    `SELECT mentors_expertise_refresh(ARRAY(SELECT DISTINCT mentor_id FROM mentor_expertise))`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE mentors ALTER COLUMN expertise DROP DEFAULT`,
    `ALTER TABLE mentors ALTER COLUMN expertise TYPE jsonb USING expertise::jsonb`,
    `ALTER TABLE mentors ALTER COLUMN expertise SET DEFAULT '[]'`,
    `CREATE OR REPLACE FUNCTION mentors_expertise_refresh(mentor_ids integer[]) RETURNS void LANGUAGE sql AS $$
    UPDATE mentors m SET expertise = coalesce((
      SELECT jsonb_agg(jsonb_build_object('slug', t.slug, 'name', t.name) ORDER BY t.name, t.slug)
      FROM mentor_expertise me JOIN expertise_tags t ON t.id = me.tag_id WHERE me.mentor_id = m.id), '[]')
    WHERE m.id = ANY (mentor_ids)
  $$`,
  ]);
}
