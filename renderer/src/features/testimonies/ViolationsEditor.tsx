// The coded violations of a testimony form: one act against one victim per entry, added and removed in place.
import { useEffect, useRef, useState } from 'react';
import { useFieldArray, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { PlaceField } from '../../components/form/PlaceField';
import { EdtfField, TextArea, VocabularySelect } from '../../components/form/fields';
import { PersonPicker } from '../persons/PersonPicker';
import { emptyViolation, type TestimonyValues } from './testimony-values';

export function ViolationsEditor() {
  const { t } = useTranslation();
  const { control } = useFormContext<TestimonyValues>();
  const { fields, append, remove } = useFieldArray({ control, name: 'violations' });
  const listRef = useRef<HTMLOListElement>(null);
  // The entry to put focus into once rendered: the new one after "add", the neighbour after "remove".
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const addRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (focusIndex === null) return;
    const entry = listRef.current?.children[focusIndex];
    const target = entry?.querySelector<HTMLElement>('input, select, textarea');
    (target ?? addRef.current)?.focus();
    setFocusIndex(null);
  }, [focusIndex, fields.length]);

  return (
    <section aria-labelledby="violations-heading" className="violations-editor">
      <h2 id="violations-heading">{t('testimonies.violations.heading')}</h2>
      <p className="hint">{t('testimonies.violations.hint')}</p>
      {fields.length === 0 ? <p>{t('testimonies.violations.none')}</p> : null}
      <ol ref={listRef} className="violation-list">
        {fields.map((field, i) => (
          <li key={field.id}>
            <fieldset>
              <legend>{t('testimonies.violations.legend', { n: i + 1 })}</legend>
              <PersonPicker<TestimonyValues> name={`violations.${i}.victimId`} label={t('testimonies.violations.victim')} required />
              <VocabularySelect<TestimonyValues>
                name={`violations.${i}.actType`}
                vocabulary="actTypes"
                label={t('testimonies.violations.actType')}
                emptyLabel={t('form.choose')}
                required
              />
              <EdtfField<TestimonyValues> name={`violations.${i}.date`} label={t('testimonies.violations.date')} />
              <PlaceField<TestimonyValues> name={`violations.${i}.placeId`} label={t('testimonies.violations.place')} />
              <VocabularySelect<TestimonyValues>
                name={`violations.${i}.perpetratorType`}
                vocabulary="perpetratorTypes"
                label={t('testimonies.violations.perpetratorType')}
                emptyLabel={t('testimonies.notRecorded')}
              />
              <VocabularySelect<TestimonyValues>
                name={`violations.${i}.victimOutcome`}
                vocabulary="victimOutcomes"
                label={t('testimonies.violations.victimOutcome')}
                emptyLabel={t('testimonies.notRecorded')}
              />
              <TextArea<TestimonyValues> name={`violations.${i}.notes`} label={t('testimonies.violations.notes')} rows={3} />
              <button
                type="button"
                className="secondary small"
                onClick={() => {
                  remove(i);
                  setFocusIndex(Math.min(i, fields.length - 2));
                }}
              >
                {t('testimonies.violations.remove', { n: i + 1 })}
              </button>
            </fieldset>
          </li>
        ))}
      </ol>
      <button
        ref={addRef}
        type="button"
        className="secondary"
        onClick={() => {
          append(emptyViolation(), { shouldFocus: false });
          setFocusIndex(fields.length);
        }}
      >
        {t('testimonies.violations.add')}
      </button>
    </section>
  );
}
