// The follow-up actions part of the session form: what is to be done, by whom, by when, and how far it got.
import { useState } from 'react';
import { useFieldArray, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { followUpStatuses } from '../../../../shared/records/session-schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { SelectField, TextArea, TextInput } from '../../components/form/fields';
import { emptyFollowUp, type SessionValues } from './session-values';

export function FollowUpsEditor() {
  const { t } = useTranslation();
  const { control, getValues } = useFormContext<SessionValues>();
  // An existing action keeps its id in `followUpId`, so main updates it rather than adding a new one.
  const { fields, append, remove } = useFieldArray({ control, name: 'followUps' });
  const [removing, setRemoving] = useState<number | null>(null);
  const statusOptions = followUpStatuses.map((s) => ({ value: s, label: t(`sessions.followUpStatus.${s}`) }));

  const askRemove = (i: number) => {
    const f = getValues(`followUps.${i}`);
    if (f.followUpId === null && f.text.trim() === '' && f.owner.trim() === '') remove(i);
    else setRemoving(i);
  };

  return (
    <fieldset className="follow-ups">
      <legend>{t('sessions.followUps')}</legend>
      {fields.length === 0 ? <p className="hint">{t('sessions.noFollowUps')}</p> : null}
      {fields.map((f, i) => (
        <fieldset key={f.id} className="follow-up">
          <legend>{t('sessions.followUpN', { n: i + 1 })}</legend>
          <TextArea<SessionValues> name={`followUps.${i}.text`} label={t('sessions.followUpText')} rows={2} required />
          <div className="follow-up-row">
            <TextInput<SessionValues> name={`followUps.${i}.owner`} label={t('sessions.followUpOwner')} hint={t('sessions.followUpOwnerHint')} required />
            <TextInput<SessionValues> name={`followUps.${i}.dueDate`} type="date" label={t('sessions.followUpDue')} />
            <SelectField<SessionValues> name={`followUps.${i}.status`} label={t('sessions.followUpStatusLabel')} options={statusOptions} />
          </div>
          <button type="button" className="secondary small" onClick={() => askRemove(i)}>
            {t('sessions.removeFollowUp', { n: i + 1 })}
          </button>
        </fieldset>
      ))}
      <button type="button" className="secondary" onClick={() => append(emptyFollowUp())}>
        {t('sessions.addFollowUp')}
      </button>
      {removing !== null ? (
        <ConfirmDialog
          title={t('sessions.removeFollowUpTitle', { n: removing + 1 })}
          body={t('sessions.removeFollowUpBody')}
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
