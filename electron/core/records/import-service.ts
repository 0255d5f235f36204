// Imports a records.json file into the archive: every record validated first, then all written in one
// transaction or none; the report names each rejected record and why.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ErrorCode } from '../../../shared/errors';
import {
  personRecordSchema,
  recordsFileSchema,
  sessionRecordSchema,
  testimonyRecordSchema,
  type PersonRecord,
  type SessionRecord,
  type TestimonyRecord,
} from '../../../shared/records/records-file';
import type { ArchiveSchema } from '../db/schema';
import { ArchiveError, isArchiveError } from '../errors';
import type { Sodium } from '../crypto/sodium';
import type { UnlockedArchive } from '../vault/vault';
import type { Actor, ReferenceCheck } from './actor';
import { createRecords } from './records-context';
import type { PersonsService } from './persons-service';
import type { SessionsService } from './sessions-service';
import type { TestimoniesService } from './testimonies-service';

type Collection = 'persons' | 'testimonies' | 'sessions';
export type ImportProblem = { collection: 'file' | Collection; index: number | null; ref: string | null; code: ErrorCode; detail: string };
export type ImportCounts = { persons: number; testimonies: number; sessions: number };
export type ImportReport = { imported: ImportCounts; rejected: ImportProblem[] };
/** A records.json file after its top level was checked; the records themselves are still unknown. */
export type RecordsFileContent = { persons: unknown[]; testimonies: unknown[]; sessions?: unknown[] | undefined };

const nothing: ImportCounts = { persons: 0, testimonies: 0, sessions: 0 };

/** Largest file read (bytes): a 1 GB JSON would not fit the renderer's or the CLI's memory budget anyway. */
export const maxImportBytes = 512 * 1024 * 1024;

type Services = { persons: PersonsService; testimonies: TestimoniesService; sessions: SessionsService };

/**
 * What was wrong, by path and rule. Unknown keys are counted, not named: zod's message quotes them, and a key of a
 * hand-made file may be content (a name), which must not reach a terminal or a log.
 */
const describe = (e: z.ZodError) =>
  e.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'record'}: ${i.code === 'unrecognized_keys' ? `${i.keys.length} unknown field(s)` : i.message}`)
    .join('; ');

/** Parses the JSON text; anything that is not a records.json v1 file is one 'file' problem. */
export function parseRecordsFile(text: string): RecordsFileContent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ArchiveError('IPC_BAD_INPUT', 'The file is not valid JSON.');
  }
  const top = recordsFileSchema.safeParse(json);
  if (!top.success) throw new ArchiveError('IPC_BAD_INPUT', `The file is not a records.json version 1 file (${describe(top.error)}).`);
  return top.data;
}

/**
 * Imports all records or none. `withServices` runs the writes inside one transaction and hands over
 * services bound to it; a failure anywhere rolls everything back.
 */
export async function importRecords(
  file: RecordsFileContent,
  actor: Actor,
  withServices: <T>(fn: (s: Services, trx: Kysely<ArchiveSchema>) => Promise<T>) => Promise<T>,
): Promise<ImportReport> {
  const rejected: ImportProblem[] = [];
  const persons: PersonRecord[] = [];
  const testimonies: TestimonyRecord[] = [];
  const sessions: SessionRecord[] = [];
  const refs = new Set<string>();
  const sessionRefs = new Set<string>();
  for (const [index, raw] of file.persons.entries()) {
    const r = personRecordSchema.safeParse(raw);
    if (!r.success) rejected.push({ collection: 'persons', index, ref: refOf(raw), code: 'IPC_BAD_INPUT', detail: describe(r.error) });
    else if (refs.has(r.data.ref)) rejected.push({ collection: 'persons', index, ref: r.data.ref, code: 'IPC_BAD_INPUT', detail: 'duplicate ref' });
    else {
      refs.add(r.data.ref);
      persons.push(r.data);
    }
  }
  for (const [index, raw] of file.testimonies.entries()) {
    const r = testimonyRecordSchema.safeParse(raw);
    if (!r.success) {
      rejected.push({ collection: 'testimonies', index, ref: refOf(raw), code: 'IPC_BAD_INPUT', detail: describe(r.error) });
      continue;
    }
    const missing = [r.data.deponentRef, ...r.data.violations.map((v) => v.victimRef)].filter((ref) => !refs.has(ref));
    if (missing.length) {
      rejected.push({ collection: 'testimonies', index, ref: r.data.ref, code: 'RECORD_UNKNOWN_REFERENCE', detail: `unknown person ref(s): ${[...new Set(missing)].join(', ')}` });
    } else testimonies.push(r.data);
  }
  for (const [index, raw] of (file.sessions ?? []).entries()) {
    const r = sessionRecordSchema.safeParse(raw);
    if (!r.success) {
      rejected.push({ collection: 'sessions', index, ref: refOf(raw), code: 'IPC_BAD_INPUT', detail: describe(r.error) });
      continue;
    }
    if (sessionRefs.has(r.data.ref)) {
      rejected.push({ collection: 'sessions', index, ref: r.data.ref, code: 'IPC_BAD_INPUT', detail: 'duplicate ref' });
      continue;
    }
    sessionRefs.add(r.data.ref);
    const missing = r.data.participants.map((p) => p.personRef).filter((ref) => !refs.has(ref));
    if (missing.length) {
      rejected.push({ collection: 'sessions', index, ref: r.data.ref, code: 'RECORD_UNKNOWN_REFERENCE', detail: `unknown person ref(s): ${[...new Set(missing)].join(', ')}` });
    } else sessions.push(r.data);
  }
  if (rejected.length) return { imported: nothing, rejected };

  // Second pass inside the transaction: the services check codes, places, dates and write (persons.create
  // also writes the person's search entry and name keys, so imported persons are found and suggested).
  const failed: ImportProblem[] = [];
  try {
    await withServices(async (s) => {
      const ids = new Map<string, string>();
      for (const [index, p] of persons.entries()) {
        const { ref, ...input } = p;
        try {
          ids.set(ref, (await s.persons.create(input, actor)).id);
        } catch (e) {
          failed.push(problem('persons', index, ref, e));
        }
      }
      for (const [index, t] of testimonies.entries()) {
        const { ref, deponentRef, violations, ...rest } = t;
        const unresolved = [deponentRef, ...violations.map((v) => v.victimRef)].filter((r) => !ids.has(r));
        if (unresolved.length) {
          failed.push({ collection: 'testimonies', index, ref, code: 'RECORD_UNKNOWN_REFERENCE', detail: `refers to rejected person(s): ${[...new Set(unresolved)].join(', ')}` });
          continue;
        }
        const id = (r: string) => ids.get(r) ?? '';
        try {
          await s.testimonies.create({ ...rest, deponentId: id(deponentRef), violations: violations.map(({ victimRef, ...v }) => ({ ...v, victimId: id(victimRef) })) }, actor);
        } catch (e) {
          failed.push(problem('testimonies', index, ref, e));
        }
      }
      for (const [index, session] of sessions.entries()) {
        const { ref, participants, followUps, ...rest } = session;
        const unresolved = participants.map((p) => p.personRef).filter((r) => !ids.has(r));
        if (unresolved.length) {
          failed.push({ collection: 'sessions', index, ref, code: 'RECORD_UNKNOWN_REFERENCE', detail: `refers to rejected person(s): ${[...new Set(unresolved)].join(', ')}` });
          continue;
        }
        try {
          await s.sessions.create(
            {
              ...rest,
              participants: participants.map(({ personRef, ...p }) => ({ ...p, personId: ids.get(personRef) ?? '' })),
              // Imported follow-ups are new actions: the archive gives each its id.
              followUps: followUps.map((f) => ({ ...f, id: null })),
            },
            actor,
          );
        } catch (e) {
          failed.push(problem('sessions', index, ref, e));
        }
      }
      // Any rejection undoes the whole import: throwing rolls the transaction back.
      if (failed.length) throw new ArchiveError('IPC_BAD_INPUT', 'Import rejected.');
    });
  } catch (e) {
    if (failed.length) return { imported: nothing, rejected: failed };
    throw e;
  }
  return { imported: { persons: persons.length, testimonies: testimonies.length, sessions: sessions.length }, rejected: [] };
}

/** Imports into an unlocked archive: all services bound to one transaction. */
export function importIntoArchive(
  deps: { archive: UnlockedArchive; sodium: Sodium; now: () => number; reference: ReferenceCheck },
  file: RecordsFileContent,
  actor: Actor,
): Promise<ImportReport> {
  return importRecords(file, actor, (fn) => deps.archive.db.kysely.transaction().execute((trx) => fn(createRecords({ ...deps, db: trx }), trx)));
}

function refOf(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null && 'ref' in raw && typeof raw.ref === 'string' ? raw.ref.slice(0, 64) : null;
}

function problem(collection: Collection, index: number, ref: string, e: unknown): ImportProblem {
  if (isArchiveError(e)) return { collection, index, ref, code: e.code, detail: e.message };
  throw e;
}
