// The backups area (directors): making a backup to a drive kept apart from the laptop, and the backups made.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BackupListPanel } from './BackupListPanel';
import { MakeBackupPanel } from './MakeBackupPanel';

export function BackupsScreen() {
  const { t } = useTranslation();
  // Bumped when a backup ends, so the list below shows it without a manual refresh.
  const [reload, setReload] = useState(0);
  const ended = useCallback(() => setReload((n) => n + 1), []);
  return (
    <section aria-labelledby="screen-heading" className="backups-screen">
      <h1 id="screen-heading">{t('backups.heading')}</h1>
      <p className="hint">{t('backups.intro')}</p>
      <MakeBackupPanel onEnded={ended} />
      <BackupListPanel reload={reload} />
    </section>
  );
}
