// The facilitators of a session in its form: a short list of names, added and removed one by one.
import { useFieldArray, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { TextInput } from '../../components/form/fields';
import type { SessionValues } from './session-values';

export function FacilitatorsEditor() {
  const { t } = useTranslation();
  const { control } = useFormContext<SessionValues>();
  const { fields, append, remove } = useFieldArray({ control, name: 'facilitators' });
  return (
    <fieldset className="facilitators">
      <legend>{t('sessions.facilitators')}</legend>
      {fields.map((f, i) => (
        <div key={f.id} className="facilitator">
          <TextInput<SessionValues> name={`facilitators.${i}.name`} label={t('sessions.facilitatorN', { n: i + 1 })} required />
          <button type="button" className="secondary small" onClick={() => remove(i)}>
            {t('sessions.removeFacilitator', { n: i + 1 })}
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => append({ name: '' })}>
        {t('sessions.addFacilitator')}
      </button>
    </fieldset>
  );
}
