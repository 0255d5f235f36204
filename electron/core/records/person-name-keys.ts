// Queries of person_name_keys (migration 5): keeping a person's keys in step, and the candidate lookup.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ArchiveSchema, PersonsTable } from '../db/schema';
import { ArchiveError } from '../errors';
import { personNameKeys } from './person-similarity';

/**
 * Replaces a person's keys with those of the names stored now, read back in the caller's transaction (like
 * the search index, so a restricted person's sealed names can never reach the table: their columns are
 * NULL, and the table's trigger refuses them anyway). Called on every person create and update, which the
 * records.json import goes through too.
 */
export async function writePersonNameKeys(db: Kysely<ArchiveSchema>, id: string): Promise<void> {
  const p = await db
    .selectFrom('persons')
    .select(['confidentiality', 'name_sq', 'name_sr_latn', 'name_sr_cyrl', 'birth_lo', 'birth_hi', 'residence_place_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!p) throw new ArchiveError('RECORD_NOT_FOUND', 'No such person.');
  await db.deleteFrom('person_name_keys').where('person_id', '=', id).execute();
  if (p.confidentiality !== 'normal') return;
  const { keys, fewestWords } = personNameKeys({ sq: p.name_sq, srLatn: p.name_sr_latn, srCyrl: p.name_sr_cyrl });
  if (keys.length === 0) return;
  const copies = { name_words: fewestWords, birth_lo: p.birth_lo, birth_hi: p.birth_hi, residence_place_id: p.residence_place_id };
  await db.insertInto('person_name_keys').values(keys.map((key) => ({ key, person_id: id, ...copies }))).execute();
}

/**
 * One key to look up: `word` is the typed word's own key (a typo variant looks up another key for it);
 * `weight` is the most the match can add to the name similarity (keyMatchWeight, typoMatchWeight).
 */
export type KeyLookup = { key: string; word: string; weight: number };

export type CandidateRow = Pick<PersonsTable, 'id' | 'name_sq' | 'name_sr_latn' | 'name_sr_cyrl' | 'birth_edtf' | 'birth_lo' | 'birth_hi' | 'residence_place_id'>;

export type CandidateFilter = {
  /** The fewest comparable words of any typed name form, and the least name similarity worth suggesting. */
  typedWords: number;
  minSimilarity: number;
  excludeId: string | null;
  /** The typed birth date widened by the tolerance; null when none (or invalid). */
  birth: { lo: string | null; hi: string | null } | null;
  residencePlaceId: string | null;
};

/**
 * The `pool` persons whose name keys best match the lookups: most typed words matched (exactly before by a
 * typo) first, then the same residence, then a birth date in the window. A person whose matched words cannot
 * reach `minSimilarity` even at best is dropped here: nameSimilarity divides the matched weight by the mean
 * word count, at least (typedWords + name_words) / 2. Every lookup is an equality probe
 * of person_name_keys' primary key, and the ranking reads the copies of birth range and residence in the
 * same rows: only the best `pool` persons are read, by primary key. Both joins are CROSS JOINs, which SQLite
 * never reorders: once ANALYZE has run it otherwise preferred scanning every key (it knows nothing of
 * json_each) or, on a small archive, every person. Only normal
 * persons have keys; the confidentiality test is a second guard. Exported for the EXPLAIN QUERY PLAN test.
 */
export function candidatesQuery(lookups: readonly KeyLookup[], f: CandidateFilter, pool: number) {
  const json = JSON.stringify(lookups.map((l) => [l.key, l.word, l.weight]));
  // Ranking terms for what was typed only (a constant in ORDER BY would be read as a column number).
  const order: Array<RawBuilder<unknown>> = [sql`sum(weight) DESC`];
  if (f.residencePlaceId !== null) order.push(sql`(residence_place_id IS NOT NULL AND residence_place_id = ${f.residencePlaceId}) DESC`);
  if (f.birth !== null) {
    // A person without a birth date has neither bound (a stored EDTF range always has one).
    const parts: Array<RawBuilder<unknown>> = [sql`(birth_lo IS NOT NULL OR birth_hi IS NOT NULL)`];
    if (f.birth.hi !== null) parts.push(sql`(birth_lo IS NULL OR birth_lo <= ${f.birth.hi})`);
    if (f.birth.lo !== null) parts.push(sql`(birth_hi IS NULL OR birth_hi >= ${f.birth.lo})`);
    order.push(sql`(${sql.join(parts, sql` AND `)}) DESC`);
  }
  order.push(sql`person_id`);
  const exclude = f.excludeId === null ? sql`` : sql`WHERE k.person_id <> ${f.excludeId}`;
  // Bare columns beside an aggregate take any row's value (https://sqlite.org/lang_select.html#bareagg):
  // the copies are the same in every row of one person.
  return sql<CandidateRow>`WITH q AS (
      SELECT json_extract(value, '$[0]') AS key, json_extract(value, '$[1]') AS word, json_extract(value, '$[2]') AS weight FROM json_each(${json})
    ), hit AS (
      SELECT k.person_id AS person_id, q.word AS word, max(q.weight) AS weight, k.name_words AS name_words,
        k.birth_lo AS birth_lo, k.birth_hi AS birth_hi, k.residence_place_id AS residence_place_id
      FROM q CROSS JOIN person_name_keys AS k ON k.key = q.key ${exclude}
      GROUP BY k.person_id, q.word
    ), ranked AS (
      SELECT person_id, sum(weight) AS weight, birth_lo, birth_hi, residence_place_id FROM hit GROUP BY person_id
      HAVING 2 * sum(weight) >= ${f.minSimilarity} * (${f.typedWords} + name_words) - 1e-9
      ORDER BY ${sql.join(order)} LIMIT ${pool}
    )
    SELECT p.id AS id, p.name_sq AS name_sq, p.name_sr_latn AS name_sr_latn, p.name_sr_cyrl AS name_sr_cyrl, p.birth_edtf AS birth_edtf,
      p.birth_lo AS birth_lo, p.birth_hi AS birth_hi, p.residence_place_id AS residence_place_id
    FROM ranked AS r CROSS JOIN persons AS p ON p.id = r.person_id
    WHERE p.confidentiality = 'normal'`;
}
