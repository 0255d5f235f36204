// An ARIA 1.2 combobox: type to search (main does the matching), arrows + Enter or click to choose, Escape to close.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldNotes } from './fields';

export type ComboOption = { value: string; label: string; detail?: string };

type Props = {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean | undefined;
  /** What is chosen now, shown in the box when not typing. */
  selectedLabel: string;
  search: (query: string) => Promise<ComboOption[]>;
  onSelect: (option: ComboOption) => void;
  onClear?: (() => void) | undefined;
};

export function Combobox({ label, hint, error, required, selectedLabel, search, onSelect, onClear }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const listId = `${id}-list`;
  const [query, setQuery] = useState<string | null>(null);
  const [options, setOptions] = useState<ComboOption[]>([]);
  const [active, setActive] = useState(0);
  const request = useRef(0);
  // The close after a blur is delayed (a click on an option lands first); coming back before it fires cancels it,
  // or it would wipe what is typed next.
  const blurTimer = useRef<number | null>(null);
  const cancelBlur = () => {
    if (blurTimer.current !== null) window.clearTimeout(blurTimer.current);
    blurTimer.current = null;
  };
  const open = query !== null && options.length > 0;

  useEffect(() => {
    if (query === null || query.trim() === '') {
      setOptions([]);
      return;
    }
    const mine = ++request.current;
    // Debounced: one call per pause in typing, and only the newest answer is shown.
    const timer = window.setTimeout(() => {
      void search(query).then((found) => {
        if (mine !== request.current) return;
        setOptions(found);
        setActive(0);
      });
    }, 150);
    return () => window.clearTimeout(timer);
  }, [query, search]);

  const choose = (o: ComboOption) => {
    onSelect(o);
    setQuery(null);
    setOptions([]);
  };

  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field combobox">
      <label htmlFor={id}>
        {label}
        {required ? <span className="required"> ({t('form.required')})</span> : null}
      </label>
      <div className="combobox-row">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open ? `${id}-opt-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
          value={query ?? selectedLabel}
          onChange={(e) => {
            cancelBlur();
            setQuery(e.target.value);
          }}
          onFocus={(e) => {
            cancelBlur();
            e.target.select();
          }}
          onBlur={() => {
            cancelBlur();
            blurTimer.current = window.setTimeout(() => {
              blurTimer.current = null;
              setQuery(null);
            }, 200);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && open) {
              e.preventDefault();
              setActive((a) => Math.min(a + 1, options.length - 1));
            } else if (e.key === 'ArrowUp' && open) {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === 'Enter' && open) {
              e.preventDefault();
              const o = options[active];
              if (o) choose(o);
            } else if (e.key === 'Escape' && query !== null) {
              // Closes only the list: not the dialog the box may sit in (which would drop the whole form).
              e.preventDefault();
              e.stopPropagation();
              setQuery(null);
            }
          }}
        />
        {onClear && selectedLabel ? (
          <button type="button" className="secondary small" onClick={onClear} aria-label={t('form.clearField', { field: label })}>
            {t('form.clear')}
          </button>
        ) : null}
      </div>
      <ul id={listId} role="listbox" aria-label={label} className="combobox-list" hidden={!open}>
        {options.map((o, i) => (
          <li
            key={o.value}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(o)}
          >
            {o.label}
            {o.detail ? <span className="detail"> — {o.detail}</span> : null}
          </li>
        ))}
      </ul>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}
