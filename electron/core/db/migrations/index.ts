// The ordered list of migrations. Append only; never edit a migration that has shipped.
import { migration0001 } from './0001-foundation';
import { migration0002 } from './0002-records';
import { migration0003 } from './0003-search';
import { migration0004 } from './0004-dialogue-sessions';
import { migration0005 } from './0005-person-name-keys';
import { migration0006 } from './0006-drafts';
import { migration0007 } from './0007-person-status';
import { migration0008 } from './0008-audit-log';
import { migration0009 } from './0009-audit-checkpoints';
import { migration0010 } from './0010-record-grants';
import { migration0011 } from './0011-user-removal';
import { migration0012 } from './0012-attachments';
import { migration0013 } from './0013-submissions';
import { migration0014 } from './0014-backups';
import type { Migration } from './frozen-db';

export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
];

export const latestSchemaVersion = migrations.length;
