// The consent of one person to one testimony or session (DESIGN.md section 4): form values, conversion, and fields.
import { useId } from 'react';
import { useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { ConsentInput } from '../../../../shared/records/schemas';
import { commissionScopes } from '../../../../shared/records/schemas';
import { emptyToNull } from './schema-resolver';
import { CheckboxField, SelectField, TextArea, TextInput, VocabularySelect, useFieldError } from './fields';

const booleanScopes = ['archive', 'statistics', 'publicHearing', 'prosecution', 'media', 'recontact'] as const;
const withdrawalScopes = ['all', 'commission', 'public', 'media'] as const;

export type ConsentValues = {
  explainedBy: string;
  language: string;
  formVersion: string;
  medium: 'written' | 'recorded';
  scopes: Record<(typeof booleanScopes)[number], boolean> & { commission: (typeof commissionScopes)[number] };
  anonymityLevel: string;
  embargoUntil: string;
  minor: boolean;
  guardian: string;
  withdrawn: boolean;
  withdrawal: { date: string; scope: (typeof withdrawalScopes)[number]; note: string };
};

/** A fresh consent: nothing agreed until the person says so (every scope off, commission "not at all"). */
export function emptyConsent(explainedBy = ''): ConsentValues {
  return {
    explainedBy,
    language: '',
    formVersion: '',
    medium: 'written',
    scopes: { archive: false, statistics: false, commission: 'none', publicHearing: false, prosecution: false, media: false, recontact: false },
    anonymityLevel: '',
    embargoUntil: '',
    minor: false,
    guardian: '',
    withdrawn: false,
    withdrawal: { date: '', scope: 'all', note: '' },
  };
}

export function consentToValues(c: ConsentInput): ConsentValues {
  return {
    explainedBy: c.explainedBy,
    language: c.language,
    formVersion: c.formVersion,
    medium: c.medium,
    scopes: { ...c.scopes },
    anonymityLevel: c.anonymityLevel,
    embargoUntil: c.embargoUntil ?? '',
    minor: c.minor,
    guardian: c.guardian ?? '',
    withdrawn: c.withdrawal !== null,
    withdrawal: c.withdrawal ? { ...c.withdrawal } : { date: '', scope: 'all', note: '' },
  };
}

/** Form values → the shape of consentInputSchema (validated by the caller's schema). */
export function consentToInput(v: ConsentValues): unknown {
  return {
    explainedBy: v.explainedBy,
    language: v.language,
    formVersion: v.formVersion,
    medium: v.medium,
    scopes: { ...v.scopes },
    anonymityLevel: v.anonymityLevel,
    embargoUntil: emptyToNull(v.embargoUntil),
    minor: v.minor,
    guardian: v.minor ? emptyToNull(v.guardian) : null,
    withdrawal: v.withdrawn ? { ...v.withdrawal } : null,
  };
}

/** The consent fields under `prefix` (e.g. "consent" or "participants.2.consent") of the surrounding form. */
export function ConsentFieldset({ prefix, legend }: { prefix: string; legend: string }) {
  const { t } = useTranslation();
  const { register, watch } = useFormContext();
  const commissionId = useId();
  const minor = watch(`${prefix}.minor`) === true;
  const withdrawn = watch(`${prefix}.withdrawn`) === true;
  const commissionError = useFieldError(`${prefix}.scopes.commission`);
  return (
    <fieldset className="consent">
      <legend>{legend}</legend>
      <TextInput name={`${prefix}.explainedBy`} label={t('consent.explainedBy')} required />
      <VocabularySelect name={`${prefix}.language`} vocabulary="languages" label={t('consent.language')} emptyLabel={t('form.choose')} required />
      <TextInput name={`${prefix}.formVersion`} label={t('consent.formVersion')} hint={t('consent.formVersionHint')} required />
      <SelectField
        name={`${prefix}.medium`}
        label={t('consent.medium')}
        options={[
          { value: 'written', label: t('consent.written') },
          { value: 'recorded', label: t('consent.recorded') },
        ]}
      />
      <fieldset className="checkbox-group">
        <legend>{t('consent.scopes')}</legend>
        {booleanScopes.map((s) => (
          <CheckboxField key={s} name={`${prefix}.scopes.${s}`} label={t(`consent.scope.${s}`)} />
        ))}
      </fieldset>
      <fieldset className="radio-group" aria-describedby={commissionError ? `${commissionId}-error` : undefined}>
        <legend>{t('consent.commission')}</legend>
        {commissionScopes.map((c) => (
          <label key={c} className="checkbox">
            <input type="radio" value={c} {...register(`${prefix}.scopes.commission`)} />
            {t(`consent.commissionScope.${c}`)}
          </label>
        ))}
        {commissionError ? (
          <p className="field-error" id={`${commissionId}-error`}>
            {commissionError}
          </p>
        ) : null}
      </fieldset>
      <VocabularySelect name={`${prefix}.anonymityLevel`} vocabulary="anonymityLevels" label={t('consent.anonymityLevel')} emptyLabel={t('form.choose')} required />
      <TextInput name={`${prefix}.embargoUntil`} type="date" label={t('consent.embargoUntil')} hint={t('consent.embargoHint')} />
      <CheckboxField name={`${prefix}.minor`} label={t('consent.minor')} />
      {minor ? <TextInput name={`${prefix}.guardian`} label={t('consent.guardian')} /> : null}
      <CheckboxField name={`${prefix}.withdrawn`} label={t('consent.withdrawn')} />
      {withdrawn ? (
        <>
          <TextInput name={`${prefix}.withdrawal.date`} type="date" label={t('consent.withdrawalDate')} required />
          <SelectField
            name={`${prefix}.withdrawal.scope`}
            label={t('consent.withdrawalScope')}
            options={withdrawalScopes.map((s) => ({ value: s, label: t(`consent.withdrawalScopes.${s}`) }))}
          />
          <TextArea name={`${prefix}.withdrawal.note`} label={t('consent.withdrawalNote')} rows={3} />
        </>
      ) : null}
    </fieldset>
  );
}

/** A recorded consent, read-only: what may be done with the record, and any withdrawal or embargo. */
export function ConsentSummary({ consent }: { consent: ConsentInput }) {
  const { t } = useTranslation();
  const agreed = booleanScopes.filter((s) => consent.scopes[s]);
  return (
    <dl className="consent-summary">
      <dt>{t('consent.scopes')}</dt>
      <dd>{agreed.length > 0 ? agreed.map((s) => t(`consent.scope.${s}`)).join(', ') : t('consent.noScopes')}</dd>
      <dt>{t('consent.commission')}</dt>
      <dd>{t(`consent.commissionScope.${consent.scopes.commission}`)}</dd>
      <dt>{t('consent.explainedBy')}</dt>
      <dd>
        {consent.explainedBy} · {t(`consent.${consent.medium}`)} · {consent.formVersion}
      </dd>
      {consent.embargoUntil ? (
        <>
          <dt>{t('consent.embargoUntil')}</dt>
          <dd>{consent.embargoUntil}</dd>
        </>
      ) : null}
      {consent.minor ? (
        <>
          <dt>{t('consent.minor')}</dt>
          <dd>{consent.guardian ?? ''}</dd>
        </>
      ) : null}
      {consent.withdrawal ? (
        <>
          <dt>{t('consent.withdrawn')}</dt>
          <dd className="warning">
            {consent.withdrawal.date} · {t(`consent.withdrawalScopes.${consent.withdrawal.scope}`)}
            {consent.withdrawal.note ? ` · ${consent.withdrawal.note}` : ''}
          </dd>
        </>
      ) : null}
    </dl>
  );
}
