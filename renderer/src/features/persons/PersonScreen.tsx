// One person, read-only: identity (unless restricted and not shared with this user), edit and history.
import { useTranslation } from 'react-i18next';
import { useNavigation } from '../../app/navigation';
import { useAllowed } from '../../app/session-context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useReference } from '../../lib/reference';
import { GrantsPanel } from '../grants/GrantsPanel';
import { personName } from './person-name';
import { usePerson } from './use-person';

export function PersonScreen({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useNavigation();
  const ref = useReference();
  const canEdit = useAllowed('persons.update');
  const { person, error } = usePerson(id);

  const none = t('persons.notRecorded');
  const heading = person?.identityVisible ? personName(person.names, i18n.language) || t('persons.viewHeading') : t('persons.viewHeading');
  return (
    <section aria-labelledby="screen-heading">
      <h1 id="screen-heading">{heading}</h1>
      <ErrorMessage error={error} />
      {!person && !error ? <p aria-live="polite">{t('app.loading')}</p> : null}
      {person ? (
        <>
          {person.confidentiality === 'restricted' ? (
            <p className="notice">{person.identityVisible ? t('persons.restrictedShared') : t('persons.restrictedNotice')}</p>
          ) : null}
          <dl className="record-fields">
            {person.identityVisible ? (
              <>
                <dt>{t('persons.nameSq')}</dt>
                <dd lang="sq">{person.names.sq ?? none}</dd>
                <dt>{t('persons.nameSrLatn')}</dt>
                <dd lang="sr-Latn">{person.names.srLatn ?? none}</dd>
                <dt>{t('persons.nameSrCyrl')}</dt>
                <dd lang="sr-Cyrl">{person.names.srCyrl ?? none}</dd>
              </>
            ) : null}
            <dt>{t('persons.sex')}</dt>
            <dd>{ref.label('sexes', person.sex)}</dd>
            {person.identityVisible ? (
              <>
                <dt>{t('persons.birthDate')}</dt>
                <dd>{person.birthDate ?? none}</dd>
              </>
            ) : null}
            <dt>{t('persons.ethnicity')}</dt>
            <dd>{person.ethnicity ? ref.label('ethnicities', person.ethnicity) : none}</dd>
            <dt>{t('persons.status')}</dt>
            <dd>{person.status ? ref.label('victimOutcomes', person.status) : none}</dd>
            {person.identityVisible ? (
              <>
                <dt>{t('persons.residence')}</dt>
                <dd>{person.residencePlaceId ? ref.placeName(person.residencePlaceId) : none}</dd>
                <dt>{t('persons.contact')}</dt>
                <dd className="long-text">{person.contact ?? none}</dd>
              </>
            ) : null}
            <dt>{t('persons.confidentiality')}</dt>
            <dd>{t(`persons.confidentialityLevel.${person.confidentiality}`)}</dd>
            <dt>{t('persons.revision')}</dt>
            <dd>{person.revision}</dd>
          </dl>
          <div className="actions">
            {canEdit && person.identityVisible ? (
              <button type="button" onClick={() => navigate({ name: 'person-edit', id })}>
                {t('persons.edit')}
              </button>
            ) : null}
            <button type="button" className="secondary" onClick={() => navigate({ name: 'history', kind: 'person', id })}>
              {t('persons.history')}
            </button>
          </div>
          <GrantsPanel kind="person" id={id} restricted={person.confidentiality === 'restricted'} />
        </>
      ) : null}
    </section>
  );
}
