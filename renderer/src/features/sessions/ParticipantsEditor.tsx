// The participants part of the session form: per person a role, notes and a consent that folds away,
// so a table of eight people stays a list one can scan.
import { useEffect, useId, useRef, useState } from 'react';
import { get, useFieldArray, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ConsentFieldset } from '../../components/form/ConsentFieldset';
import { TextArea, VocabularySelect, useFieldError } from '../../components/form/fields';
import { PersonPicker } from '../persons/PersonPicker';
import { emptyParticipant, type SessionValues } from './session-values';

type RowProps = { index: number; onRemove: () => void };

function ParticipantRow({ index, onRemove }: RowProps) {
  const { t } = useTranslation();
  const { watch, formState, getValues } = useFormContext<SessionValues>();
  const n = index + 1;
  const commission = watch(`participants.${index}.consent.scopes.commission`);
  const withdrawn = watch(`participants.${index}.consent.withdrawn`);
  const consentInvalid = get(formState.errors, `participants.${index}.consent`) !== undefined;
  // A new row opens its consent (it must be filled in); rows with a person chosen start folded.
  const [open, setOpen] = useState(() => getValues(`participants.${index}.personId`) === '');

  useEffect(() => {
    if (consentInvalid) setOpen(true);
  }, [consentInvalid]);

  return (
    <fieldset className="participant">
      <legend>{t('sessions.participantN', { n })}</legend>
      <div className="participant-main">
        <PersonPicker<SessionValues> name={`participants.${index}.personId`} label={t('sessions.person')} required />
        <VocabularySelect<SessionValues> name={`participants.${index}.role`} vocabulary="participantRoles" label={t('sessions.role')} emptyLabel={t('form.choose')} required />
      </div>
      <TextArea<SessionValues> name={`participants.${index}.notes`} label={t('sessions.participantNotes')} hint={t('sessions.notesHint')} rows={2} />
      <details className="participant-consent" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          {t('sessions.consentN', { n })}:{' '}
          {withdrawn ? t('consent.withdrawn') : `${t('consent.commission')} — ${t(`consent.commissionScope.${commission}`)}`}
        </summary>
        <ConsentFieldset prefix={`participants.${index}.consent`} legend={t('sessions.consentN', { n })} />
      </details>
      <button type="button" className="secondary small" onClick={onRemove}>
        {t('sessions.removeParticipant', { n })}
      </button>
    </fieldset>
  );
}

export function ParticipantsEditor({ explainedBy }: { explainedBy: string }) {
  const { t } = useTranslation();
  const errorId = useId();
  const { control, getValues } = useFormContext<SessionValues>();
  const { fields, append, remove } = useFieldArray({ control, name: 'participants' });
  // The list-wide error (the same person twice); row errors show under their fields.
  const listError = useFieldError('participants');
  const container = useRef<HTMLFieldSetElement>(null);
  const focusNew = useRef(false);
  const [removing, setRemoving] = useState<number | null>(null);

  const askRemove = (i: number) => {
    const p = getValues(`participants.${i}`);
    // A row with nothing chosen yet goes at once; one with a person asks first (its consent would be lost).
    if (p.personId === '' && p.notes.trim() === '') remove(i);
    else setRemoving(i);
  };

  // After "add", the new row's person field takes the focus (keyboard users land where they must type).
  useEffect(() => {
    if (!focusNew.current) return;
    focusNew.current = false;
    const rows = container.current ? Array.from(container.current.querySelectorAll('.participant')) : [];
    rows.at(-1)?.querySelector('input')?.focus();
  }, [fields]);

  return (
    <fieldset className="participants" ref={container} aria-describedby={listError ? errorId : undefined}>
      <legend>{t('sessions.participants')}</legend>
      {listError ? (
        <p className="field-error" id={errorId} data-invalid="true" tabIndex={-1}>
          {listError}
        </p>
      ) : null}
      {fields.length === 0 ? <p className="hint">{t('sessions.noParticipants')}</p> : null}
      {fields.map((f, i) => (
        <ParticipantRow key={f.id} index={i} onRemove={() => askRemove(i)} />
      ))}
      <button
        type="button"
        className="secondary"
        onClick={() => {
          focusNew.current = true;
          append(emptyParticipant(explainedBy), { shouldFocus: false });
        }}
      >
        {t('sessions.addParticipant')}
      </button>
      {removing !== null ? (
        <ConfirmDialog
          title={t('sessions.removeParticipantTitle', { n: removing + 1 })}
          body={t('sessions.removeParticipantBody')}
          confirmLabel={t('form.remove')}
          cancelLabel={t('form.cancel')}
          onConfirm={() => {
            remove(removing);
            setRemoving(null);
          }}
          onCancel={() => setRemoving(null)}
        />
      ) : null}
    </fieldset>
  );
}
