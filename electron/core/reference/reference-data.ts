// Loads and validates the shipped vocabularies and gazetteer, and answers "is this a code / a place" and "what is its label".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  actTypesFileSchema,
  gazetteerFile,
  gazetteerFileSchema,
  vocabularyFileSchema,
  vocabularyFiles,
  vocabularyNames,
  type ActTypeEntry,
  type UiLanguage,
  type VocabularyEntry,
  type VocabularyName,
} from '../../../shared/reference/schema';
import { ArchiveError } from '../errors';
import { createGazetteer, type Gazetteer } from './gazetteer';

export type Vocabulary<E extends VocabularyEntry | ActTypeEntry = VocabularyEntry> = {
  readonly name: VocabularyName;
  /** In file order, which is the order the UI offers them in. */
  readonly entries: readonly E[];
  has(code: string): boolean;
  get(code: string): E | undefined;
  /** The label of `code` in `lang`, or undefined for an unknown code. */
  label(code: string, lang: UiLanguage): string | undefined;
};

export type Vocabularies = { readonly actTypes: Vocabulary<ActTypeEntry> } & {
  readonly [K in Exclude<VocabularyName, 'actTypes'>]: Vocabulary;
};

export type ReferenceData = {
  readonly vocab: Vocabularies;
  readonly gazetteer: Gazetteer;
  /** The label of `code` in vocabulary `vocabulary`, or undefined when the code is not in it. */
  labelOf(vocabulary: VocabularyName, code: string, lang: UiLanguage): string | undefined;
  /** True when `code` is in vocabulary `vocabulary` (exact match: codes are stable identifiers). */
  isCode(vocabulary: VocabularyName, code: string): boolean;
  /** True when `id` is a gazetteer place. */
  isPlace(id: string): boolean;
};

/**
 * Reads every file under `resourcesDir`/vocabularies and `resourcesDir`/gazetteer and validates it.
 * Reference data ships with the app, so a missing, unparsable or invalid file is a broken installation:
 * it fails with ArchiveError('INTERNAL') naming the file, instead of letting bad codes into records.
 *
 * @example loadReferenceData(resourcesDir).vocab.actTypes.has('enforced-disappearance') // true
 */
export function loadReferenceData(resourcesDir: string): ReferenceData {
  const read = <S extends z.ZodType>(relPath: string, schema: S): z.output<S> => parseFile(resourcesDir, relPath, schema);

  const actTypes = makeVocabulary('actTypes', read(`vocabularies/${vocabularyFiles.actTypes}`, actTypesFileSchema).entries);
  const others = Object.fromEntries(
    vocabularyNames
      .filter((name) => name !== 'actTypes')
      .map((name) => [name, makeVocabulary(name, read(`vocabularies/${vocabularyFiles[name]}`, vocabularyFileSchema).entries)]),
  ) as { [K in Exclude<VocabularyName, 'actTypes'>]: Vocabulary };
  const vocab: Vocabularies = { actTypes, ...others };
  const gazetteer = createGazetteer(read(`gazetteer/${gazetteerFile}`, gazetteerFileSchema).places);

  const vocabulary = (name: VocabularyName): Vocabulary<VocabularyEntry | ActTypeEntry> => vocab[name];
  return {
    vocab,
    gazetteer,
    labelOf: (name, code, lang) => vocabulary(name).label(code, lang),
    isCode: (name, code) => vocabulary(name).has(code),
    isPlace: (id) => gazetteer.byId(id) !== undefined,
  };
}

function makeVocabulary<E extends VocabularyEntry | ActTypeEntry>(name: VocabularyName, entries: readonly E[]): Vocabulary<E> {
  const byCode = new Map(entries.map((e) => [e.code, e]));
  return {
    name,
    entries,
    has: (code) => byCode.has(code),
    get: (code) => byCode.get(code),
    label: (code, lang) => byCode.get(code)?.labels[lang],
  };
}

/** Reads and validates one file; every failure becomes an ArchiveError naming `relPath`. */
function parseFile<S extends z.ZodType>(resourcesDir: string, relPath: string, schema: S): z.output<S> {
  const fail = (why: string): never => {
    throw new ArchiveError('INTERNAL', `Reference data file ${relPath} ${why}`);
  };
  let text = '';
  try {
    text = readFileSync(join(resourcesDir, relPath), 'utf8');
  } catch (e) {
    fail(`cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail('is not valid JSON');
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
    fail(`is invalid: ${issues.join('; ')}${more}`);
  }
  return result.data as z.output<S>;
}
