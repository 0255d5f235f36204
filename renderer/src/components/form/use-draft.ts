// Autosaved drafts of a record form: kept sealed to the author inside the archive (never localStorage), so a crash
// or an idle lock loses at most a few seconds of typing.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { call } from '../../lib/archive-client';

/** How long typing must pause before the draft is written. */
export const draftDelayMs = 2000;

export type DraftKey = `${'testimony' | 'session' | 'person'}:${string}`;

export type DraftState = {
  /** A saved draft newer than the form's start, offered to the user (restore or discard). */
  offered: { savedAt: string } | null;
  restore: () => void;
  discard: () => Promise<void>;
  /** When the last autosave landed (null before the first). */
  savedAt: string | null;
  /** Call after the record itself was saved: the draft is no longer needed. */
  clear: () => Promise<void>;
};

export function useDraft<V extends FieldValues>(key: DraftKey, form: UseFormReturn<V, unknown, unknown>): DraftState {
  const [offered, setOffered] = useState<{ savedAt: string; data: string } | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const cleared = useRef(false);
  const { watch, reset, formState } = form;

  useEffect(() => {
    let live = true;
    void call('drafts.get', { key }).then((r) => {
      if (live && r.ok && r.value.draft) setOffered(r.value.draft);
    });
    return () => {
      live = false;
    };
  }, [key]);

  // Save after each pause in typing, only once the user changed something (no draft of an untouched form).
  useEffect(() => {
    let timer: number | undefined;
    const subscription = watch(() => {
      if (cleared.current) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        if (cleared.current || !formState.isDirty) return;
        void call('drafts.save', { key, data: JSON.stringify(form.getValues()) }).then((r) => {
          if (r.ok) setSavedAt(r.value.savedAt);
        });
      }, draftDelayMs);
    });
    return () => {
      window.clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [watch, key, form, formState]);

  const restore = useCallback(() => {
    if (!offered) return;
    try {
      reset(JSON.parse(offered.data) as V, { keepDefaultValues: true });
    } catch {
      // A draft that does not parse is dropped rather than half-applied.
    }
    setOffered(null);
  }, [offered, reset]);

  const discard = useCallback(async () => {
    setOffered(null);
    await call('drafts.discard', { key });
  }, [key]);

  const clear = useCallback(async () => {
    cleared.current = true;
    await call('drafts.discard', { key });
  }, [key]);

  return { offered: offered ? { savedAt: offered.savedAt } : null, restore, discard, savedAt, clear };
}
