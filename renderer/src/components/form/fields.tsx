// Labelled form controls bound to react-hook-form: label, hint and error are tied to the control for screen readers.
import { useId, type ReactNode } from 'react';
import { get, useFormContext, type FieldValues, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { VocabularyName } from '../../../../shared/reference/schema';
import { useReference } from '../../lib/reference';

type Common<V extends FieldValues> = { name: Path<V>; label: string; hint?: string; required?: boolean };

/** The error message react-hook-form holds for `name`, if any. */
export function useFieldError(name: string): string | undefined {
  const { formState } = useFormContext();
  const error: unknown = get(formState.errors, name);
  return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' ? error.message : undefined;
}

function Field({ id, label, hint, error, required, children }: { id: string; label: string; hint?: string | undefined; error: string | undefined; required?: boolean | undefined; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span className="required"> ({t('form.required')})</span> : null}
      </label>
      {children}
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** A field's hint and error under it, with the ids its input's aria-describedby points at. */
export function FieldNotes({ id, hint, error }: { id: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

function describedBy(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function TextInput<V extends FieldValues>({ name, label, hint, required, type = 'text' }: Common<V> & { type?: 'text' | 'date' }) {
  const { register } = useFormContext<V>();
  const id = useId();
  const error = useFieldError(name);
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required}>
      <input id={id} type={type} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...register(name)} />
    </Field>
  );
}

export function TextArea<V extends FieldValues>({ name, label, hint, required, rows = 6 }: Common<V> & { rows?: number }) {
  const { register } = useFormContext<V>();
  const id = useId();
  const error = useFieldError(name);
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required}>
      <textarea id={id} rows={rows} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...register(name)} />
    </Field>
  );
}

export type Option = { value: string; label: string };

export function SelectField<V extends FieldValues>({ name, label, hint, required, options, emptyLabel }: Common<V> & { options: readonly Option[]; emptyLabel?: string }) {
  const { register } = useFormContext<V>();
  const id = useId();
  const error = useFieldError(name);
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required}>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...register(name)}>
        {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A select over one shipped vocabulary, labels in the UI language; act types show their HURIDOCS ESF code. */
export function VocabularySelect<V extends FieldValues>({ vocabulary, ...rest }: Common<V> & { vocabulary: VocabularyName; emptyLabel?: string }) {
  const ref = useReference();
  const options = ref.entries(vocabulary).map((e) => ({ value: e.code, label: e.esf ? `${ref.entryLabel(e)} (ESF ${e.esf})` : ref.entryLabel(e) }));
  return <SelectField {...rest} options={options} />;
}

export function CheckboxField<V extends FieldValues>({ name, label, hint }: Omit<Common<V>, 'required'>) {
  const { register } = useFormContext<V>();
  const id = useId();
  const error = useFieldError(name);
  return (
    <div className="checkbox-field">
      <div className="checkbox">
        <input id={id} type="checkbox" aria-describedby={describedBy(id, hint, error)} {...register(name)} />
        <label htmlFor={id}>{label}</label>
      </div>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** Checkboxes over one vocabulary, bound to an array of codes (e.g. affected groups). */
export function VocabularyCheckboxes<V extends FieldValues>({ name, label, vocabulary }: { name: Path<V>; label: string; vocabulary: VocabularyName }) {
  const { register } = useFormContext<V>();
  const ref = useReference();
  const error = useFieldError(name);
  return (
    <fieldset className="checkbox-group">
      <legend>{label}</legend>
      {ref.entries(vocabulary).map((e) => (
        <label key={e.code} className="checkbox">
          <input type="checkbox" value={e.code} {...register(name)} />
          {ref.entryLabel(e)}
        </label>
      ))}
      {error ? <p className="field-error">{error}</p> : null}
    </fieldset>
  );
}

/** An EDTF date: free text checked by main with the EDTF library; the hint shows the uncertain forms. */
export function EdtfField<V extends FieldValues>(props: Common<V>) {
  const { t } = useTranslation();
  return <TextInput {...props} hint={props.hint ?? t('form.edtfHint')} />;
}
