// Display names of the people a testimony refers to (deponent, victims), fetched once per person from main.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../lib/archive-client';
import { personName } from '../persons/PersonPicker';

/** id → name in the UI's script; a restricted person whose name is sealed from this user gets a placeholder. */
export function usePersonNames(ids: readonly string[]): (id: string) => string {
  const { t, i18n } = useTranslation();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const key = [...new Set(ids)].sort().join(',');

  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(',') : [];
    void Promise.all(
      wanted.map(async (id) => {
        const r = await call('persons.get', { id });
        // A name that cannot be read (sealed, or the call refused) is shown as restricted rather than as an id.
        const name = r.ok ? personName(r.value.names, i18n.language) : '';
        return [id, name || t('persons.restrictedName')] as const;
      }),
    ).then((pairs) => {
      if (live) setNames(new Map(pairs));
    });
    return () => {
      live = false;
    };
  }, [key, i18n.language, t]);

  return (id) => names.get(id) ?? '';
}
