// The testimony's own fields in the form (who gave it, how, when, where, the narrative and its sensitivity).
import { useId } from 'react';
import { useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { sensitivities } from '../../../../shared/records/schemas';
import { PlaceField } from '../../components/form/PlaceField';
import { EdtfField, TextArea, TextInput, VocabularyCheckboxes, VocabularySelect } from '../../components/form/fields';
import { PersonPicker } from '../persons/PersonPicker';
import type { TestimonyValues } from './testimony-values';

function SensitivityField() {
  const { t } = useTranslation();
  const { register } = useFormContext<TestimonyValues>();
  const hintId = useId();
  return (
    <fieldset className="radio-group" aria-describedby={hintId}>
      <legend>{t('testimonies.fields.sensitivity')}</legend>
      {sensitivities.map((s) => (
        <label key={s} className="checkbox">
          <input type="radio" value={s} {...register('sensitivity')} />
          {t(`testimonies.sensitivity.${s}`)}
        </label>
      ))}
      <p className="hint" id={hintId}>
        {t('testimonies.sensitivity.restrictedHint')}
      </p>
    </fieldset>
  );
}

export function TestimonyFields() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="testimony-fields-heading">
      <h2 id="testimony-fields-heading">{t('testimonies.sections.testimony')}</h2>
      <TextInput<TestimonyValues> name="title" label={t('testimonies.fields.title')} hint={t('testimonies.fields.titleHint')} required />
      <PersonPicker<TestimonyValues> name="deponentId" label={t('testimonies.fields.deponent')} required />
      <TextInput<TestimonyValues> name="interpreter" label={t('testimonies.fields.interpreter')} />
      <VocabularySelect<TestimonyValues> name="language" vocabulary="languages" label={t('testimonies.fields.language')} emptyLabel={t('form.choose')} required />
      <VocabularySelect<TestimonyValues> name="mode" vocabulary="testimonyModes" label={t('testimonies.fields.mode')} emptyLabel={t('form.choose')} required />
      <EdtfField<TestimonyValues> name="date" label={t('testimonies.fields.date')} />
      <PlaceField<TestimonyValues> name="placeId" label={t('testimonies.fields.place')} />
      <VocabularyCheckboxes<TestimonyValues> name="affectedGroups" vocabulary="affectedGroups" label={t('testimonies.fields.affectedGroups')} />
      <TextArea<TestimonyValues> name="narrative" label={t('testimonies.fields.narrative')} rows={16} />
      <SensitivityField />
    </section>
  );
}
