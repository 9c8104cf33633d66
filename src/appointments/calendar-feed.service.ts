import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import ical, { ICalCalendarMethod, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { I18nService } from 'nestjs-i18n';
import { DataSource } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { AppConfigService } from '../config/app-config.service';
import { Appointment } from './appointment.entity';
import { contactAddress } from './appointments.service';

/** What a feed URL's secret looks like: 32 random bytes in base64url (AgentsService issues it). */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** A field agent looks back at the last two months and ahead at the next year. */
const PAST_DAYS = 60;
const FUTURE_DAYS = 365;
const DAY_MS = 24 * 60 * 60_000;
/** Far more than a year of visits; a bound so that one feed can never load a whole table. */
const MAX_FEED_EVENTS = 5000;
/** Calendar apps poll a subscription by this hint; a move shows up within a quarter of an hour. */
const REFRESH_SECONDS = 15 * 60;

/**
 * A field agent's appointments as an iCalendar feed (RFC 5545) that a phone calendar
 * subscribes to by a secret URL. Every appointment keeps one UID for life and its SEQUENCE
 * grows on every move or change of state, so calendar apps replace the event instead of
 * adding a copy; cancelled ones stay in the feed as STATUS:CANCELLED so that apps remove
 * them rather than keep a stale visit.
 */
@Injectable()
export class CalendarFeedService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly i18n: I18nService,
    private readonly config: AppConfigService,
  ) {}

  /**
   * The feed behind a secret, or null when the secret is malformed, unknown, revoked or
   * belongs to a deactivated agent: the caller answers all of them with the same 404.
   */
  async feed(token: string, now: Date): Promise<string | null> {
    if (!TOKEN.test(token)) return null;
    const em = this.dataSource.manager;
    // One lookup on the unique index: no scan, no early exit that times the secret.
    const agent = await em.findOne(Agent, {
      select: { id: true, name: true, active: true, calendarToken: true },
      where: { calendarToken: token },
    });
    // MySQL's utf8mb4_unicode_ci compares case-blind; the secret is case-sensitive.
    if (!agent?.active || !sameSecret(agent.calendarToken, token)) return null;

    // Bounded by starts_at so that IDX_appointments_agent_starts serves the whole query.
    const appointments = await em
      .createQueryBuilder(Appointment, 'ap')
      .innerJoin('ap.contact', 'contact')
      .addSelect([
        'contact.id',
        'contact.firstName',
        'contact.lastName',
        'contact.phone',
        'contact.city',
        'contact.province',
        'contact.fields',
      ])
      .innerJoin('ap.campaign', 'campaign')
      .addSelect(['campaign.id', 'campaign.name'])
      .leftJoin('ap.operator', 'operator')
      .addSelect(['operator.id', 'operator.displayName', 'operator.username'])
      .where('ap.agentId = :agentId', { agentId: agent.id })
      .andWhere('ap.startsAt >= :since AND ap.startsAt < :until', {
        since: new Date(now.getTime() - PAST_DAYS * DAY_MS),
        until: new Date(now.getTime() + FUTURE_DAYS * DAY_MS),
      })
      .orderBy('ap.startsAt', 'ASC')
      .addOrderBy('ap.id', 'ASC')
      // Every join is many-to-one: one row per appointment, so LIMIT counts appointments.
      .limit(MAX_FEED_EVENTS)
      .getMany();

    const say = this.sayer();
    const calendar = ical({
      name: `${say('calendarName')} · ${agent.name}`,
      prodId: { company: 'Esito CRM', product: 'Agent calendar', language: this.language() },
      method: ICalCalendarMethod.PUBLISH,
      ttl: REFRESH_SECONDS,
    });
    for (const appointment of appointments) {
      const closed = appointment.state === 'cancelled' || appointment.state === 'reschedule';
      calendar.createEvent({
        id: `appointment-${appointment.id}@esito-crm`,
        sequence: appointment.sequence,
        start: appointment.startsAt,
        end: appointment.endsAt,
        stamp: appointment.updatedAt,
        lastModified: appointment.updatedAt,
        created: appointment.createdAt,
        summary: this.summary(appointment, say),
        location: appointment.contact ? contactAddress(appointment.contact) || null : null,
        description: this.description(appointment, say),
        status: closed ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
        // A cancelled visit no longer keeps the agent busy.
        transparency: closed ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
      });
    }
    return calendar.toString();
  }

  /** "Mario Rossi · Fibra casa", prefixed with what became of it when it will not take place. */
  private summary(appointment: Appointment, say: (key: string) => string): string {
    const title = [customerName(appointment), appointment.campaign?.name]
      .filter((part) => part && part.trim() !== '')
      .join(' · ');
    const mark = this.stateMark(appointment, say);
    return mark ? `${mark}: ${title}` : title;
  }

  private stateMark(appointment: Appointment, say: (key: string) => string): string | null {
    switch (appointment.state) {
      case 'cancelled':
        return say('cancelled');
      case 'reschedule':
        return say('toReschedule');
      case 'booked':
      case 'done':
      case 'no_show':
        return null;
    }
  }

  /** What the agent needs on the doorstep, one fact a line; the outcome first once known. */
  private description(appointment: Appointment, say: (key: string) => string): string {
    const contact = appointment.contact;
    const operator = appointment.operator;
    const reason = appointment.stateReason?.trim() || null;
    const lines: Array<string | null> = [];
    switch (appointment.state) {
      case 'cancelled':
      case 'reschedule':
        lines.push(this.stateMark(appointment, say));
        if (reason) lines.push(`${say('reason')}: ${reason}`);
        break;
      case 'done':
      case 'no_show':
        lines.push(`${say('outcome')}: ${say(appointment.state === 'done' ? 'done' : 'noShow')}`);
        if (reason) lines.push(`${say('reason')}: ${reason}`);
        break;
      case 'booked':
        // A booked appointment with a reason has been moved: say why.
        if (reason) lines.push(`${say('changeReason')}: ${reason}`);
        break;
    }
    if (lines.length > 0) lines.push('');
    lines.push(`${say('customer')}: ${customerName(appointment)}`);
    if (contact?.phone) lines.push(`${say('phone')}: ${contact.phone}`);
    const address = contact ? contactAddress(contact) : '';
    if (address) lines.push(`${say('address')}: ${address}`);
    if (appointment.notes?.trim()) lines.push(`${say('notes')}: ${appointment.notes.trim()}`);
    if (appointment.campaign?.name) lines.push(`${say('campaign')}: ${appointment.campaign.name}`);
    if (operator) {
      lines.push(`${say('bookedBy')}: ${operator.displayName || operator.username}`);
    }
    return lines.filter((line): line is string => line !== null).join('\n');
  }

  /** The feed has no signed-in reader: it speaks the call centre's default language. */
  private language() {
    return this.config.get('DEFAULT_LANGUAGE');
  }

  private sayer(): (key: string) => string {
    const lang = this.language();
    return (key) => String(this.i18n.t(`agents.feed.${key}`, { lang }));
  }
}

function sameSecret(stored: string | null, given: string): boolean {
  if (stored === null || stored.length !== given.length) return false;
  return timingSafeEqual(Buffer.from(stored), Buffer.from(given));
}

function customerName(appointment: Appointment): string {
  const contact = appointment.contact;
  return contact ? `${contact.firstName} ${contact.lastName}`.trim() : '';
}
