// The participants of a saved session, read-only: name (sealed names stay sealed), role, notes and consent.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../../shared/ipc/contract';
import { ConsentSummary } from '../../components/form/ConsentFieldset';
import { call } from '../../lib/archive-client';
import { useReference } from '../../lib/reference';
import { personName } from '../persons/PersonPicker';

/** A participant's name as main returns it: a restricted person without a copy shows as such, never as an id. */
function ParticipantName({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void call('persons.get', { id }).then((r) => {
      if (!live) return;
      setName(r.ok ? personName(r.value.names, i18n.language) || t('persons.restrictedName') : t('sessions.unknownPerson'));
    });
    return () => {
      live = false;
    };
  }, [id, i18n.language, t]);
  return <>{name ?? t('app.loading')}</>;
}

export function SessionParticipants({ participants }: { participants: SessionView['participants'] }) {
  const { t } = useTranslation();
  const ref = useReference();
  if (participants.length === 0) return <p className="hint">{t('sessions.noParticipants')}</p>;
  return (
    <ol className="participant-list">
      {participants.map((p) => (
        <li key={p.personId}>
          <h3>
            <ParticipantName id={p.personId} />
          </h3>
          <p className="participant-role">
            {t('sessions.role')}: {ref.label('participantRoles', p.role)}
          </p>
          {p.notes ? <p className="prose">{p.notes}</p> : null}
          <ConsentSummary consent={p.consent} />
        </li>
      ))}
    </ol>
  );
}
