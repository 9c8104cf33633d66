/**
 * The address of a field agent's calendar feed (served by the appointments' feed
 * controller): the path is all a subscriber needs, the origin is the caller's. The agent
 * owns the secret token, so the address is the agents' to say.
 */
export function calendarFeedUrl(
  origin: { protocol: string; host: string | undefined },
  token: string,
): string {
  const path = `/calendar/${token}.ics`;
  return origin.host ? `${origin.protocol}://${origin.host}${path}` : path;
}
