// i18next set-up with the four UI languages; catalogs are bundled (the app is offline).
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

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: en },
    sq: { translation: sq },
    'sr-Latn': { translation: srLatn },
    'sr-Cyrl': { translation: srCyrl },
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
