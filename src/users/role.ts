export const ROLES = ['admin', 'coordinator', 'operator', 'backoffice'] as const;
export type Role = (typeof ROLES)[number];
