// Loads one person for a screen (null id: nothing to load); a late answer for a left screen is dropped.
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { PersonView } from '../../../../shared/ipc/contract';
import { call } from '../../lib/archive-client';

export function usePerson(id: string | null): { person: PersonView | null; error: ErrorInfo | null } {
  const [person, setPerson] = useState<PersonView | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  useEffect(() => {
    if (!id) return;
    let live = true;
    void call('persons.get', { id }).then((r) => {
      if (!live) return;
      if (r.ok) setPerson(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [id]);
  return { person, error };
}
