// The three roles of the archive and the actions the policy table speaks of.
import { z } from 'zod';

export const roles = ['recorder', 'director', 'auditor'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/**
 * Actions checked by the policy table (electron/core/access). `public` needs no session,
 * `session` any signed-in user; the rest are decided per role.
 */
export const actions = ['public', 'session', 'settings.write', 'records.read', 'records.create', 'records.edit', 'records.review'] as const;
export type Action = (typeof actions)[number];
