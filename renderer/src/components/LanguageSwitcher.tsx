// The language picker shown on every screen.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { languages, setLanguage, type LanguageCode } from '../i18n/index';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className="language-switcher">
      <label htmlFor={id}>{t('language.label')}</label>
      <select
        id={id}
        value={i18n.language}
        onChange={(e) => {
          const code = languages.find((l) => l.code === e.target.value)?.code;
          if (code) setLanguage(code satisfies LanguageCode);
        }}
      >
        {languages.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </div>
  );
}
