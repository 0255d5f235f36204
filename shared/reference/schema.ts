// Shapes of the shipped reference data (resources/vocabularies, resources/gazetteer) and their file names.
import { z } from 'zod';

/** The four UI languages; every label and every place name exists in each (place names: all but English). */
export const uiLanguages = ['en', 'sq', 'sr-Latn', 'sr-Cyrl'] as const;
export type UiLanguage = (typeof uiLanguages)[number];

/** A vocabulary code or gazetteer id: stable kebab-case ASCII (the same rule as shared/records codeSchema). */
export const referenceCodeSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);

const hasLatinLetter = /\p{Script=Latin}/u;
const hasCyrillicLetter = /\p{Script=Cyrillic}/u;

/** Display text as stored: non-empty, trimmed, NFC (so "ë" is one code point and compares equal to itself). */
const displayText = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => s.trim() === s && s.trim().length > 0, { error: 'must be non-empty and trimmed' })
  .refine((s) => s.normalize('NFC') === s, { error: 'must be NFC' });
const latinText = displayText.refine((s) => !hasCyrillicLetter.test(s), { error: 'must not contain Cyrillic letters' });
const cyrillicText = displayText.refine((s) => !hasLatinLetter.test(s), { error: 'must not contain Latin letters' });

export const labelsSchema = z.strictObject({
  en: latinText,
  sq: latinText,
  'sr-Latn': latinText,
  'sr-Cyrl': cyrillicText,
});
export type Labels = z.infer<typeof labelsSchema>;

/**
 * A HURIDOCS Events Standard Formats code from Micro-thesaurus 4 "Types of Acts" (Dueck, Guzman,
 * Verstappen, HURIDOCS 2001), written as printed: two digits per level, trailing "00" levels dropped
 * ("0101" = Direct actions which violate the right to life, "02011111" = Torture).
 */
export const esfActCodeSchema = z.string().regex(/^(?:\d{2}){1,6}$/);

export const vocabularyEntrySchema = z.strictObject({ code: referenceCodeSchema, labels: labelsSchema });
export type VocabularyEntry = z.infer<typeof vocabularyEntrySchema>;

/** Act types also carry the ESF code where one exists (null where the thesaurus has no matching act). */
export const actTypeEntrySchema = z.strictObject({
  code: referenceCodeSchema,
  esf: esfActCodeSchema.nullable(),
  labels: labelsSchema,
});
export type ActTypeEntry = z.infer<typeof actTypeEntrySchema>;

function uniqueBy<T>(items: readonly T[], key: (item: T) => string, ctx: z.RefinementCtx, what: string, path: (string | number)[] = []): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `duplicate ${what} "${k}"`, path: [...path, index] });
    seen.add(k);
  });
}

/** A vocabulary file: format version 1, at least one entry, codes unique. */
function vocabularyFile<E extends z.ZodType<{ code: string }>>(entry: E) {
  return z.strictObject({
    version: z.literal(1),
    entries: z
      .array(entry)
      .min(1)
      .superRefine((entries, ctx) => uniqueBy(entries, (e) => e.code, ctx, 'code')),
  });
}

export const vocabularyFileSchema = vocabularyFile(vocabularyEntrySchema);
export const actTypesFileSchema = vocabularyFile(actTypeEntrySchema);

/**
 * The vocabularies, by the name code uses, with their file under resources/vocabularies. Act types have
 * their own entry shape (with `esf`); the others share `vocabularyEntrySchema`.
 */
export const vocabularyFiles = {
  actTypes: 'act-types.json',
  affectedGroups: 'affected-groups.json',
  ethnicities: 'ethnicities.json',
  perpetratorTypes: 'perpetrator-types.json',
  victimOutcomes: 'victim-outcomes.json',
  participantRoles: 'participant-roles.json',
  testimonyModes: 'testimony-modes.json',
  sexes: 'sexes.json',
  anonymityLevels: 'anonymity-levels.json',
  languages: 'languages.json',
} as const;
export type VocabularyName = keyof typeof vocabularyFiles;
export const vocabularyNames = Object.keys(vocabularyFiles) as VocabularyName[];

/** Place names: the Albanian and the Serbian name (both alphabets). English uses the Albanian name. */
export const placeNamesSchema = z.strictObject({
  sq: latinText,
  'sr-Latn': latinText,
  'sr-Cyrl': cyrillicText,
});
export type PlaceNames = z.infer<typeof placeNamesSchema>;

/** Other names a place is known by (older or official variants, Turkish): searchable, never displayed first. */
const altNamesSchema = z.array(displayText).min(1).max(10).optional();

export const municipalitySchema = z.strictObject({
  id: referenceCodeSchema,
  kind: z.literal('municipality'),
  names: placeNamesSchema,
  altNames: altNamesSchema,
});

export const settlementSchema = z.strictObject({
  id: referenceCodeSchema,
  kind: z.literal('settlement'),
  /** The id of the municipality the settlement lies in today. */
  municipality: referenceCodeSchema,
  names: placeNamesSchema,
  altNames: altNamesSchema,
});

export const placeSchema = z.discriminatedUnion('kind', [municipalitySchema, settlementSchema]);
export type Place = z.infer<typeof placeSchema>;
export type PlaceKind = Place['kind'];

/** The gazetteer file: format version 1, ids unique, every settlement in a listed municipality. */
export const gazetteerFileSchema = z
  .strictObject({
    version: z.literal(1),
    places: z.array(placeSchema).min(1),
  })
  .superRefine((file, ctx) => {
    uniqueBy(file.places, (p) => p.id, ctx, 'place id', ['places']);
    const municipalities = new Set(file.places.filter((p) => p.kind === 'municipality').map((p) => p.id));
    file.places.forEach((p, index) => {
      if (p.kind === 'settlement' && !municipalities.has(p.municipality)) {
        ctx.addIssue({ code: 'custom', message: `unknown municipality "${p.municipality}"`, path: ['places', index, 'municipality'] });
      }
    });
  });
export type GazetteerFile = z.infer<typeof gazetteerFileSchema>;

/** The gazetteer file under resources/gazetteer. */
export const gazetteerFile = 'kosovo.json';
