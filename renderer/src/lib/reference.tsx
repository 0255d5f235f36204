// The shipped vocabularies and gazetteer, fetched once per signed-in session, with labels in the UI language.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../../shared/ipc/contract';
import type { VocabularyName } from '../../../shared/reference/schema';
import { call } from './archive-client';

type ReferenceData = MethodOutput<'reference.get'>;
export type VocabularyEntry = ReferenceData['vocabularies'][string][number];
export type Place = ReferenceData['places'][number];
type UiLanguage = 'en' | 'sq' | 'sr-Latn' | 'sr-Cyrl';

export type Reference = {
  entries: (vocabulary: VocabularyName) => readonly VocabularyEntry[];
  /** The label of a code in the UI language; the code itself when unknown (never hides data). */
  label: (vocabulary: VocabularyName, code: string | null | undefined) => string;
  entryLabel: (entry: VocabularyEntry) => string;
  place: (id: string | null | undefined) => Place | undefined;
  /** A place's name for the UI language: Albanian for en/sq, Serbian in the chosen script for sr-*. */
  placeName: (id: string | null | undefined) => string;
};

const ReferenceContext = createContext<Reference | null>(null);

function uiLanguage(lng: string): UiLanguage {
  return lng === 'sq' || lng === 'sr-Latn' || lng === 'sr-Cyrl' ? lng : 'en';
}

export function placeNameIn(place: Place, lng: string): string {
  const l = uiLanguage(lng);
  return l === 'en' ? place.names.sq : place.names[l];
}

export function ReferenceProvider({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<ReferenceData | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    void call('reference.get', {}).then((r) => {
      if (!live) return;
      if (r.ok) setData(r.value);
      else setFailed(true);
    });
    return () => {
      live = false;
    };
  }, []);

  const value = useMemo<Reference | null>(() => {
    if (!data) return null;
    const lng = uiLanguage(i18n.language);
    const places = new Map(data.places.map((p) => [p.id, p]));
    const byCode = new Map(Object.entries(data.vocabularies).map(([name, entries]) => [name, new Map(entries.map((e) => [e.code, e]))]));
    return {
      entries: (v) => data.vocabularies[v] ?? [],
      entryLabel: (e) => e.labels[lng],
      label: (v, code) => (code ? (byCode.get(v)?.get(code)?.labels[lng] ?? code) : ''),
      place: (id) => (id ? places.get(id) : undefined),
      placeName: (id) => {
        const p = id ? places.get(id) : undefined;
        return p ? placeNameIn(p, lng) : (id ?? '');
      },
    };
  }, [data, i18n.language]);

  if (failed) return <p className="error" role="alert">{t('errors.INTERNAL')}</p>;
  if (!value) return <p aria-live="polite">{t('app.loading')}</p>;
  return <ReferenceContext.Provider value={value}>{children}</ReferenceContext.Provider>;
}

export function useReference(): Reference {
  const r = useContext(ReferenceContext);
  if (!r) throw new Error('useReference outside ReferenceProvider');
  return r;
}
