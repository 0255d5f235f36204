// Creating and editing a person on a screen of its own (the form itself is PersonForm, shared with PersonPicker).
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonView } from '../../../../shared/ipc/contract';
import { useNavigation } from '../../app/navigation';
import { ErrorMessage } from '../../components/ErrorMessage';
import { PersonForm, type SimilarPerson } from './PersonForm';
import { usePerson } from './use-person';

export function PersonFormScreen({ id }: { id: string | null }) {
  const { t } = useTranslation();
  const { navigate } = useNavigation();
  const { person, error } = usePerson(id);

  const onSaved = useCallback((p: PersonView) => navigate({ name: 'person', id: p.id }), [navigate]);
  const onUseExisting = useCallback((c: SimilarPerson) => navigate({ name: 'person', id: c.id }), [navigate]);
  const onCancel = useCallback(() => navigate(id ? { name: 'person', id } : { name: 'home' }), [navigate, id]);

  let body;
  if (error) body = <ErrorMessage error={error} />;
  else if (id && !person) body = <p aria-live="polite">{t('app.loading')}</p>;
  // Editing a restricted person without a sealed copy would overwrite a sealed identity with blanks.
  else if (person && !person.identityVisible) body = <p className="notice">{t('persons.restrictedNotice')}</p>;
  else
    body = (
      <PersonForm
        person={person}
        onSaved={onSaved}
        onCancel={onCancel}
        onUseExisting={onUseExisting}
        useExistingLabel={t('persons.openExisting')}
        withDraft
        headingLevel={2}
      />
    );

  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{id ? t('persons.editHeading') : t('persons.newHeading')}</h1>
      {body}
    </section>
  );
}
