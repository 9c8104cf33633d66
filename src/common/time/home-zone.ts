/**
 * The call centre's own time zone as the product ships: the campaigns' default zone, and
 * the zone of a bare day in a list's filters where no campaign says otherwise.
 */
export const HOME_TIME_ZONE = 'Europe/Rome';
