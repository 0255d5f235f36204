// A gazetteer place bound to a form field (its id, or '' for none): either the Albanian or the Serbian name finds it.
import { useCallback } from 'react';
import { useController, useFormContext, type FieldValues, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { call } from '../../lib/archive-client';
import { placeNameIn, useReference } from '../../lib/reference';
import { Combobox, type ComboOption } from './Combobox';
import { useFieldError } from './fields';

export function PlaceField<V extends FieldValues>({ name, label, hint }: { name: Path<V>; label: string; hint?: string }) {
  const { t, i18n } = useTranslation();
  const ref = useReference();
  const { control } = useFormContext<V>();
  const { field } = useController({ name, control });
  const error = useFieldError(name);
  const current: unknown = field.value;
  const value = typeof current === 'string' ? current : '';

  const search = useCallback(
    async (query: string): Promise<ComboOption[]> => {
      const r = await call('places.find', { query: query.slice(0, 200), limit: 10 });
      if (!r.ok) return [];
      return r.value.places.map((p) => ({
        value: p.id,
        label: placeNameIn(p, i18n.language),
        detail: [p.names.sq, p.names['sr-Latn'], p.names['sr-Cyrl']].filter((n) => n !== placeNameIn(p, i18n.language)).join(' / ') + (p.municipality ? ` · ${ref.placeName(p.municipality)}` : ''),
      }));
    },
    [i18n.language, ref],
  );

  return (
    <Combobox
      label={label}
      hint={hint ?? t('form.placeHint')}
      error={error}
      selectedLabel={value ? ref.placeName(value) : ''}
      search={search}
      onSelect={(o) => field.onChange(o.value)}
      onClear={() => field.onChange('')}
    />
  );
}
