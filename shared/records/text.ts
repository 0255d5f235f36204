// Text field rules shared by every record schema: bounded length and well-formed UTF-16 (no lone surrogates).
import { z } from 'zod';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the string can be encoded as UTF-8 without loss (a lone surrogate cannot). */
export function isWellFormedText(s: string): boolean {
  return !loneSurrogate.test(s);
}

/** A string of at most `max` UTF-16 units, well-formed, normalised to NFC (so ë typed two ways is stored once). */
export function text(max: number, min = 0) {
  return z
    .string()
    .max(max)
    .refine(isWellFormedText, { error: 'not well-formed Unicode text' })
    .transform((s) => s.normalize('NFC').trim())
    .refine((s) => s.length >= min, { error: `at least ${min} character(s)` });
}

/** Narratives and minutes: up to 5 MB of text. */
export const maxLongText = 5 * 1024 * 1024;
