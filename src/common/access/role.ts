/** `integration`: a dialer, PBX, IVR or web site; only the endpoints that name it (AccessGuard). */
export const ROLES = ['admin', 'coordinator', 'operator', 'backoffice', 'integration'] as const;
export type Role = (typeof ROLES)[number];
