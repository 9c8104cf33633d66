import type { User } from '../user.entity';

/** What the API and pages show of a user: never the password hash. */
export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: User['role'];
  languages: string[];
  team: string | null;
  extension: string | null;
  uiLanguage: User['uiLanguage'];
  active: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    languages: user.languages ?? [],
    team: user.team,
    extension: user.extension,
    uiLanguage: user.uiLanguage,
    active: user.active,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}
