// The director's reminder on the home screen: no backup yet, or the last complete one is older than the interval.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigation } from '../../app/navigation';
import { call } from '../../lib/archive-client';
import { whenText } from '../submissions/format';
import { backupIntervalDays, backupReminder, type BackupReminder as Due } from './reminder';

export function BackupReminder() {
  const { t, i18n } = useTranslation();
  const { navigate } = useNavigation();
  const headingId = useId();
  const [due, setDue] = useState<Due>(null);

  // Asked each time the home screen shows, so a backup just made clears it.
  useEffect(() => {
    let live = true;
    void call('backups.list', {}).then((r) => {
      if (live && r.ok) setDue(backupReminder(r.value.backups, Date.now()));
    });
    return () => {
      live = false;
    };
  }, []);

  if (!due) return null;
  return (
    <section aria-labelledby={headingId} className="notice backup-reminder">
      <h2 id={headingId}>{t('backups.reminder.heading')}</h2>
      <p>
        {due.kind === 'none'
          ? t('backups.reminder.none')
          : t('backups.reminder.old', { date: whenText(due.lastAt, i18n.language), days: due.days, interval: backupIntervalDays })}
      </p>
      <div className="actions">
        <button type="button" onClick={() => navigate({ name: 'backups' })}>
          {t('backups.reminder.go')}
        </button>
      </div>
    </section>
  );
}
