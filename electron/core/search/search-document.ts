// What the full-text index holds for each record: folded text of its plaintext columns, never sealed content.
import { foldForSearch } from '../../../shared/text/fold';
import type { DialogueSessionsTable, PersonsTable, SearchDocsTable, TestimoniesTable } from '../db/schema';

export { searchKinds, type SearchKind } from '../../../shared/records/search-schemas';

/** One record as the index sees it: the row of search_docs and the three folded columns of search_index. */
export type SearchDocument = {
  row: Omit<SearchDocsTable, 'doc'>;
  text: { title: string; body: string; names: string };
};

/** Folds and joins text parts; parts are separated by a newline so words never run together. */
export function foldParts(parts: ReadonlyArray<string | null | undefined>): string {
  return foldForSearch(parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n'));
}

export type TestimonyIndexRow = Pick<
  TestimoniesTable,
  'id' | 'title' | 'narrative' | 'sensitivity' | 'date_edtf' | 'date_lo' | 'date_hi' | 'place_id' | 'status'
>;

/**
 * A testimony's index entry: title, narrative and violation notes, and the names of its deponent and
 * victims. The title of a restricted testimony is a plaintext column (staff list and pick records by it)
 * and is indexed; its narrative and notes are sealed, so they are left out here even if a caller passes
 * them (their columns are NULL anyway, by migration 2's CHECK). `names` must hold only names stored in
 * plaintext, i.e. of normal (not restricted) persons.
 */
export function testimonyDocument(t: TestimonyIndexRow, notes: ReadonlyArray<string | null>, names: ReadonlyArray<string | null>): SearchDocument {
  const restricted = t.sensitivity !== 'normal';
  return {
    row: {
      kind: 'testimony',
      record_id: t.id,
      title: t.title,
      date_edtf: t.date_edtf,
      date_lo: t.date_lo,
      date_hi: t.date_hi,
      place_id: t.place_id,
      status: t.status,
    },
    text: {
      title: foldParts([t.title]),
      body: restricted ? '' : foldParts([t.narrative, ...notes]),
      names: foldParts(names),
    },
  };
}

export type PersonIndexRow = Pick<
  PersonsTable,
  'id' | 'confidentiality' | 'name_sq' | 'name_sr_latn' | 'name_sr_cyrl' | 'birth_edtf' | 'birth_lo' | 'birth_hi' | 'residence_place_id'
>;

/** The name forms of a person that may be indexed: all three for a normal person, none for a restricted one. */
export function indexableNames(p: Pick<PersonsTable, 'confidentiality' | 'name_sq' | 'name_sr_latn' | 'name_sr_cyrl'>): Array<string | null> {
  return p.confidentiality === 'normal' ? [p.name_sq, p.name_sr_latn, p.name_sr_cyrl] : [];
}

/**
 * A person's index entry: the three name forms, birth date and residence. A restricted person's identity
 * is sealed, so the entry has no title, names, date or place: the person is never found by text.
 */
export function personDocument(p: PersonIndexRow): SearchDocument {
  const names = indexableNames(p);
  const normal = p.confidentiality === 'normal';
  return {
    row: {
      kind: 'person',
      record_id: p.id,
      title: names.find((n) => n !== null && n.length > 0) ?? null,
      date_edtf: normal ? p.birth_edtf : null,
      date_lo: normal ? p.birth_lo : null,
      date_hi: normal ? p.birth_hi : null,
      place_id: normal ? p.residence_place_id : null,
      status: null,
    },
    text: { title: '', body: '', names: foldParts(names) },
  };
}

export type SessionIndexRow = Pick<
  DialogueSessionsTable,
  'id' | 'title' | 'agenda' | 'minutes' | 'outcomes' | 'sensitivity' | 'date_edtf' | 'date_lo' | 'date_hi' | 'place_id' | 'status'
>;

/**
 * A dialogue session's index entry: title; agenda, follow-up actions and (normal sessions only) minutes,
 * outcomes and participants' notes; facilitators and the names of normal participants. A restricted
 * session's minutes, outcomes and notes are sealed, so they are left out here even if a caller passes them
 * (their columns are NULL anyway, by migration 4's CHECKs); its title, agenda and follow-ups are plaintext
 * columns, shown in lists, and are indexed like a restricted testimony's title. `names` must hold only
 * names stored in plaintext, i.e. of normal (not restricted) persons.
 */
export function sessionDocument(
  s: SessionIndexRow,
  extra: { facilitators: readonly string[]; notes: ReadonlyArray<string | null>; followUps: ReadonlyArray<{ text: string; owner: string }>; names: ReadonlyArray<string | null> },
): SearchDocument {
  const normal = s.sensitivity === 'normal';
  return {
    row: {
      kind: 'session',
      record_id: s.id,
      title: s.title,
      date_edtf: s.date_edtf,
      date_lo: s.date_lo,
      date_hi: s.date_hi,
      place_id: s.place_id,
      status: s.status,
    },
    text: {
      title: foldParts([s.title]),
      body: foldParts([s.agenda, ...extra.followUps.flatMap((f) => [f.text, f.owner]), ...(normal ? [s.minutes, s.outcomes, ...extra.notes] : [])]),
      names: foldParts([...extra.facilitators, ...extra.names]),
    },
  };
}
