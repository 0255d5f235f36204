// The three roles of the archive (what each may do is electron/core/access's policy table).
import { z } from 'zod';

export const roles = ['recorder', 'director', 'auditor'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;
