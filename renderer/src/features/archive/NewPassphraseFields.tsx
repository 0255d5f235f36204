// A new passphrase typed twice, with the strength meter and a "show" switch: creating an archive, changing one's
// own passphrase and recovering with the kit all ask for it the same way.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { limits } from '../../../../shared/domain/limits';
import { TextField } from '../../components/TextField';
import { PassphraseStrength } from './PassphraseStrength';

type Props = {
  labels: { passphrase: string; confirm: string };
  names: { passphrase: string; confirm: string };
  passphrase: string;
  confirm: string;
  onPassphrase: (value: string) => void;
  onConfirm: (value: string) => void;
  /** Shown as text; the switch lives here, the state with the form (its other passphrase fields follow it). */
  show: boolean;
  onShow: (show: boolean) => void;
};

export function NewPassphraseFields({ labels, names, passphrase, confirm, onPassphrase, onConfirm, show, onShow }: Props) {
  const { t } = useTranslation();
  const showId = useId();
  const type = show ? 'text' : 'password';
  return (
    <>
      <TextField
        label={labels.passphrase}
        hint={t('create.passphraseHint')}
        name={names.passphrase}
        type={type}
        autoComplete="new-password"
        required
        maxLength={limits.passphraseMax}
        value={passphrase}
        onChange={(e) => onPassphrase(e.target.value)}
      />
      <PassphraseStrength passphrase={passphrase} />
      <TextField
        label={labels.confirm}
        name={names.confirm}
        type={type}
        autoComplete="new-password"
        required
        maxLength={limits.passphraseMax}
        value={confirm}
        onChange={(e) => onConfirm(e.target.value)}
      />
      <div className="checkbox">
        <input id={showId} type="checkbox" checked={show} onChange={(e) => onShow(e.target.checked)} />
        <label htmlFor={showId}>{t('create.showPassphrase')}</label>
      </div>
    </>
  );
}
