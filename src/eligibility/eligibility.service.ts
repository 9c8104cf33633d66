import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, MoreThanOrEqual } from 'typeorm';
import { Campaign, type EligibilityRules } from '../campaigns/campaign.entity';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { Clock } from '../common/time/clock';
import { ContactQueue, type ContactPreferences } from '../contacts/contact-queue';
import { Contact } from '../contacts/contact.entity';
import { ContactLease } from '../work/contact-lease.entity';
import { ContactPreferencesDto, EligibilityRulesDto } from './dto/eligibility.dto';
import {
  ELIGIBILITY_RULES,
  EligibilityRefusal,
  type EligibilityRule,
} from './eligibility-refusal.entity';
import { IneligibleContacts } from './ineligible-contacts';
import { OperatorChatLoad } from './operator-chat-load.entity';

/** A chat count older than this is no longer believed (the integration stopped reporting). */
const CHAT_LOAD_FRESH_MS = 10 * 60_000;

export interface ChecklistItem {
  rule: EligibilityRule;
  ok: boolean;
  /** What was checked, e.g. the contact's language or "1 of 2". */
  detail: string;
}

/** Whether a claimed contact may be called by this operator (false: refused and recorded). */
export type ContactScreen = (em: EntityManager, contact: Contact) => Promise<boolean>;

export interface RefusalCounts {
  campaignId: number;
  rules: EligibilityRules | null;
  /** Refusals recorded at dispatch, per rule. */
  refusals: Record<EligibilityRule, number>;
  /** Contacts now kept from the queue, per rule (consent, reason, channel). */
  ineligibleContacts: Record<string, number>;
}

export interface EligibilityEditor {
  campaign: Pick<Campaign, 'id' | 'code' | 'name' | 'state'>;
  rules: EligibilityRules | null;
  refusals: Record<EligibilityRule, number>;
}

function emptyCounts(): Record<EligibilityRule, number> {
  return Object.fromEntries(ELIGIBILITY_RULES.map((r) => [r, 0])) as Record<
    EligibilityRule,
    number
  >;
}

/** The rule a contact fails whoever calls it, or null. */
/** The rules as stored: what the input leaves out is off, allowed reasons without repeats. */
export function eligibilityRules(dto: EligibilityRulesDto): EligibilityRules {
  return {
    requireConsent: dto.requireConsent ?? false,
    matchLanguage: dto.matchLanguage ?? false,
    allowedReasons: dto.allowedReasons ? [...new Set(dto.allowedReasons)] : null,
    maxConcurrent: dto.maxConcurrent ?? null,
    respectPreferredChannel: dto.respectPreferredChannel ?? false,
  };
}

export function contactRefusal(rules: EligibilityRules, contact: Contact): EligibilityRule | null {
  if (rules.requireConsent && contact.consent !== true) return 'consent';
  if (rules.allowedReasons && !rules.allowedReasons.includes(contact.callReason ?? '')) {
    return 'reason';
  }
  if (rules.respectPreferredChannel && contact.preferredChannel !== null) return 'channel';
  return null;
}

function hasRules(rules: EligibilityRules | null): rules is EligibilityRules {
  return (
    rules !== null &&
    (rules.requireConsent ||
      rules.matchLanguage ||
      rules.allowedReasons !== null ||
      rules.maxConcurrent !== null ||
      rules.respectPreferredChannel)
  );
}

/**
 * Proactive-call eligibility: a campaign's rules checked at dispatch (a contact that fails
 * one is not dispatched and the refusal is recorded), the operator's checklist, the counts.
 */
@Injectable()
export class EligibilityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly ineligible: IneligibleContacts,
    private readonly queue: ContactQueue,
  ) {}

  async rules(campaignId: number): Promise<EligibilityRules | null> {
    return (await this.campaign(campaignId)).eligibility;
  }

  /** The campaign's rules page: which campaign, its rules and what they refused so far. */
  async editor(campaignId: number): Promise<EligibilityEditor> {
    const campaign = await this.campaign(campaignId);
    const counts = await this.refusalCounts(campaignId);
    return {
      campaign: {
        id: campaign.id,
        code: campaign.code,
        name: campaign.name,
        state: campaign.state,
      },
      rules: campaign.eligibility,
      refusals: counts.refusals,
    };
  }

  async setRules(campaignId: number, dto: EligibilityRulesDto): Promise<EligibilityRules | null> {
    await this.campaign(campaignId);
    const rules = eligibilityRules(dto);
    const stored = hasRules(rules) ? rules : null;
    await this.dataSource
      .getRepository(Campaign)
      .update({ id: campaignId }, { eligibility: stored });
    return stored;
  }

  /**
   * The campaigns the operator may take a proactive contact from now: those whose
   * concurrency limit their open contacts and reported chats leave room under. Each one
   * left out is a recorded refusal; the campaign they asked for by name is a 409.
   */
  async withinLimits(userId: number, campaigns: Campaign[], asked: boolean): Promise<Campaign[]> {
    const limited = campaigns.filter((c) => c.eligibility?.maxConcurrent != null);
    if (limited.length === 0) return campaigns;
    const load = await this.load(userId);
    // One with a contact open is given that one back, whatever the limit.
    if (load.contacts > 0) return campaigns;
    const over = limited.filter((c) => load.contacts + load.chats >= c.eligibility!.maxConcurrent!);
    if (over.length === 0) return campaigns;
    await this.dataSource.getRepository(EligibilityRefusal).insert(
      over.map((c) => ({
        campaignId: c.id,
        contactId: null,
        operatorId: userId,
        rule: 'concurrency' as const,
      })),
    );
    if (asked) {
      const c = over[0]!;
      throw new ConflictError(
        `campaignId: you have ${load.contacts} contact(s) and ${load.chats} chat(s) open; campaign ${c.code} allows ${c.eligibility!.maxConcurrent} at once`,
        'campaignId',
        {
          activeContacts: load.contacts,
          activeChats: load.chats,
          maxConcurrent: c.eligibility!.maxConcurrent,
        },
      ).say('eligibility.errors.concurrency', {
        chats: load.chats,
        max: c.eligibility!.maxConcurrent!,
      });
    }
    return campaigns.filter((c) => !over.includes(c));
  }

  /** Whether the campaign keeps new contacts to the operator's languages (and unknown ones). */
  languagesOnly(campaign: Campaign): boolean {
    return campaign.eligibility?.matchLanguage === true;
  }

  /**
   * The check dispatch runs on each claimed proactive contact, or null when the campaign
   * has no contact rules. A contact failing a rule of its own (consent, reason, channel)
   * leaves the queue for good (final, with the rule) until its data changes; one whose
   * language the operator does not speak stays for another operator.
   */
  screen(campaign: Campaign, operatorId: number, languages: string[]): ContactScreen | null {
    const rules = campaign.eligibility;
    if (!hasRules(rules)) return null;
    return async (em, contact) => {
      const rule = contactRefusal(rules, contact);
      if (rule === null) {
        if (!rules.matchLanguage || contact.language === null) return true;
        if (languages.includes(contact.language)) return true;
      }
      await em.insert(EligibilityRefusal, {
        campaignId: campaign.id,
        contactId: contact.id,
        operatorId,
        rule: rule ?? 'language',
      });
      // Out of the queue, with what the registered hooks do (an outage campaign's e-mail).
      if (rule !== null) await this.ineligible.removeWithin(em, contact, rule);
      return false;
    };
  }

  /** The operator's page: each rule of the campaign, passed or not, with what was checked. */
  async checklist(
    campaign: Campaign,
    contact: Pick<Contact, 'consent' | 'language' | 'callReason' | 'preferredChannel'>,
    operator: { id: number; languages: string[] },
  ): Promise<ChecklistItem[] | null> {
    const rules = campaign.eligibility;
    if (!hasRules(rules)) return null;
    const items: ChecklistItem[] = [];
    if (rules.requireConsent) {
      items.push({
        rule: 'consent',
        ok: contact.consent === true,
        detail: String(contact.consent ?? ''),
      });
    }
    if (rules.matchLanguage) {
      items.push({
        rule: 'language',
        ok: contact.language === null || operator.languages.includes(contact.language),
        detail: contact.language ?? '',
      });
    }
    if (rules.allowedReasons) {
      items.push({
        rule: 'reason',
        ok: rules.allowedReasons.includes(contact.callReason ?? ''),
        detail: contact.callReason ?? '',
      });
    }
    if (rules.maxConcurrent !== null) {
      const load = await this.load(operator.id);
      // The contact on screen is one of the open contacts.
      items.push({
        rule: 'concurrency',
        ok: load.contacts + load.chats <= rules.maxConcurrent,
        detail: `${load.contacts + load.chats}/${rules.maxConcurrent}`,
      });
    }
    if (rules.respectPreferredChannel) {
      items.push({
        rule: 'channel',
        ok: contact.preferredChannel === null,
        detail: contact.preferredChannel ?? 'phone',
      });
    }
    return items;
  }

  async refusalCounts(campaignId: number): Promise<RefusalCounts> {
    const campaign = await this.campaign(campaignId);
    const refusals = emptyCounts();
    const rows = await this.dataSource
      .getRepository(EligibilityRefusal)
      .createQueryBuilder('r')
      .select('r.rule', 'rule')
      .addSelect('COUNT(*)', 'n')
      .where('r.campaignId = :campaignId', { campaignId })
      .groupBy('r.rule')
      .getRawMany<{ rule: EligibilityRule; n: string | number }>();
    for (const { rule, n } of rows) refusals[rule] = Number(n);
    const contacts = await this.dataSource
      .getRepository(Contact)
      .createQueryBuilder('c')
      .select('c.ineligibleReason', 'rule')
      .addSelect('COUNT(*)', 'n')
      .where(
        "c.campaignId = :campaignId AND c.state = 'final' AND c.ineligibleReason IS NOT NULL",
        {
          campaignId,
        },
      )
      .groupBy('c.ineligibleReason')
      .getRawMany<{ rule: string; n: string | number }>();
    return {
      campaignId,
      rules: campaign.eligibility,
      refusals,
      ineligibleContacts: Object.fromEntries(contacts.map(({ rule, n }) => [rule, Number(n)])),
    };
  }

  /** The integration's count of the operator's open chats. */
  async reportChats(
    userId: number,
    activeChats: number,
  ): Promise<{ userId: number; activeChats: number }> {
    await this.dataSource
      .getRepository(OperatorChatLoad)
      .upsert({ userId, activeChats, reportedAt: this.clock.now() }, ['userId']);
    return { userId, activeChats };
  }

  /**
   * Changes what decides a contact's eligibility; one kept from the queue by a rule goes
   * back to it (the rules are checked again when it is dispatched).
   */
  async updatePreferences(contactId: number, dto: ContactPreferencesDto): Promise<Contact> {
    return this.dataSource.transaction(async (em) => {
      const contact = await em.getRepository(Contact).findOneBy({ id: contactId });
      if (!contact) throw new NotFoundError('contact', contactId);
      const preferences: ContactPreferences = {};
      if (dto.callReason !== undefined) preferences.callReason = dto.callReason;
      if (dto.preferredChannel !== undefined) preferences.preferredChannel = dto.preferredChannel;
      if (dto.consent !== undefined) preferences.consent = dto.consent;
      await this.queue.reconsider(em, contact, preferences);
      return em.getRepository(Contact).findOneByOrFail({ id: contactId });
    });
  }

  private async load(userId: number): Promise<{ contacts: number; chats: number }> {
    const since = new Date(this.clock.now().getTime() - CHAT_LOAD_FRESH_MS);
    const [contacts, chat] = await Promise.all([
      this.dataSource.getRepository(ContactLease).countBy({ userId }),
      this.dataSource
        .getRepository(OperatorChatLoad)
        .findOneBy({ userId, reportedAt: MoreThanOrEqual(since) }),
    ]);
    return { contacts, chats: chat?.activeChats ?? 0 };
  }

  private async campaign(id: number): Promise<Campaign> {
    const campaign = await this.dataSource.getRepository(Campaign).findOneBy({ id });
    if (!campaign) throw new NotFoundError('campaign', id);
    return campaign;
  }
}
