// The director's form for a new account: username, display name and role; main generates the one-time passphrase.
import { useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { codePointLength, limits, usernamePattern } from '../../../../shared/domain/limits';
import { roles, type Role } from '../../../../shared/domain/roles';
import type { ErrorInfo } from '../../../../shared/errors';
import type { MethodOutput } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TextField } from '../../components/TextField';
import { call } from '../../lib/archive-client';

type Props = { onCreated: (created: MethodOutput<'users.create'>) => void };

/** What is wrong with the entered values before asking main (which checks the same again), or null. */
function problemOf(username: string, displayName: string): string | null {
  const u = username.trim();
  if (codePointLength(u) < limits.usernameMin || codePointLength(u) > limits.usernameMax || !usernamePattern.test(u)) return 'accounts.users.usernameInvalid';
  if (!displayName.trim()) return 'accounts.users.displayNameRequired';
  return null;
}

export function AddUserForm({ onCreated }: Props) {
  const { t } = useTranslation();
  const headingId = useId();
  const roleId = useId();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('recorder');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setError(null);
    const found = problemOf(username, displayName);
    setProblem(found);
    if (found) return;
    setBusy(true);
    const r = await call('users.create', { username: username.trim(), displayName: displayName.trim(), role });
    setBusy(false);
    if (r.ok) {
      setUsername('');
      setDisplayName('');
      setRole('recorder');
      onCreated(r.value);
    } else setError(r.error);
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={headingId}>
      <h2 id={headingId}>{t('accounts.users.addHeading')}</h2>
      <p className="hint">{t('accounts.users.addIntro')}</p>
      <TextField
        label={t('accounts.users.username')}
        hint={t('create.usernameHint')}
        name="username"
        autoComplete="off"
        required
        maxLength={limits.usernameMax}
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <TextField
        label={t('accounts.users.displayName')}
        name="displayName"
        autoComplete="off"
        required
        maxLength={limits.displayNameMax}
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
      />
      <div className="field">
        <label htmlFor={roleId}>{t('accounts.users.role')}</label>
        <select id={roleId} name="role" aria-describedby={`${roleId}-hint`} value={role} onChange={(e) => setRole(roles.find((r) => r === e.target.value) ?? 'recorder')}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
        <p className="hint" id={`${roleId}-hint`}>
          {t('accounts.users.roleHint')}
        </p>
      </div>
      {problem ? (
        <p className="error" role="alert">
          {t(problem)}
        </p>
      ) : null}
      <ErrorMessage error={error} />
      <button type="submit" disabled={busy}>
        {busy ? t('accounts.users.adding') : t('accounts.users.add')}
      </button>
    </form>
  );
}
