// i18next set-up with the four UI languages; catalogs are bundled (the app is offline).
// locales/<lang>.json holds the app-wide strings; locales/<area>/<lang>.json one feature's strings, each under
// its own top-level key, so features add strings without touching each other's files.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import sq from './locales/sq.json';
import srCyrl from './locales/sr-Cyrl.json';
import srLatn from './locales/sr-Latn.json';

export const languages = [
  { code: 'en', label: 'English' },
  { code: 'sq', label: 'Shqip' },
  { code: 'sr-Latn', label: 'Srpski (latinica)' },
  { code: 'sr-Cyrl', label: 'Српски (ћирилица)' },
] as const;

export type LanguageCode = (typeof languages)[number]['code'];

const storageKey = 'testimony-archive.language';

function initialLanguage(): LanguageCode {
  const saved = window.localStorage.getItem(storageKey);
  return languages.find((l) => l.code === saved)?.code ?? 'en';
}

export function setLanguage(code: LanguageCode): void {
  // Only the language code is stored: it is a display preference, not archive content.
  window.localStorage.setItem(storageKey, code);
  void i18n.changeLanguage(code);
}

type Catalog = Record<string, unknown>;
const areaCatalogs = import.meta.glob<Catalog>('./locales/*/*.json', { eager: true, import: 'default' });

/** The app-wide catalog of one language with every feature area's catalog merged in. */
function catalogOf(code: LanguageCode, base: Catalog): Catalog {
  const merged: Catalog = { ...base };
  for (const [path, catalog] of Object.entries(areaCatalogs)) if (path.endsWith(`/${code}.json`)) Object.assign(merged, catalog);
  return merged;
}

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: catalogOf('en', en) },
    sq: { translation: catalogOf('sq', sq) },
    'sr-Latn': { translation: catalogOf('sr-Latn', srLatn) },
    'sr-Cyrl': { translation: catalogOf('sr-Cyrl', srCyrl) },
  },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.language;

export default i18n;
