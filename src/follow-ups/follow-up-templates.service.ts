import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { SAMPLE_CONTACT, ScriptRenderer } from '../campaigns/script-renderer';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import {
  FollowUpPreview,
  FollowUpPreviewDto,
  FollowUpTemplateDto,
  FollowUpTemplateView,
  UpdateFollowUpTemplateDto,
} from './dto/follow-up-template.dto';
import { checkFollowUpTemplate } from './follow-up-template-check';
import { FollowUpTemplate } from './follow-up-template.entity';
import { factsContext, type FollowUpFacts } from './follow-up-facts';

export const SAMPLE_OPERATOR = Object.freeze({ name: 'Giulia Bianchi' });
const SAMPLE_REASON = 'voicemail';
/** What a sample outcome created: a callback, an appointment and a contract at once. */
const SAMPLE_FACTS: FollowUpFacts = Object.freeze({
  zone: 'Europe/Rome',
  callbackAt: '2026-12-01T09:30:00.000Z',
  appointment: { at: '2026-12-02T14:00:00.000Z', agent: 'Marco Neri' },
  contract: { protocolNumber: '2026/000123', total: '24.40' },
});

export function toTemplateView(t: FollowUpTemplate): FollowUpTemplateView {
  return {
    id: t.id,
    statusId: t.statusId,
    reason: t.reason,
    language: t.language,
    subject: t.subject,
    body: t.body,
    updatedAt: t.updatedAt.toISOString(),
  };
}

/** Follow-up e-mail templates: checked when saved, so the outcome never meets a broken one. */
@Injectable()
export class FollowUpTemplatesService {
  private readonly renderer = new ScriptRenderer();

  constructor(private readonly dataSource: DataSource) {}

  /** The statuses a template can be for (archived ones left out), for the template form. */
  async statusChoices(): Promise<Array<Pick<OutcomeStatus, 'id' | 'code' | 'label' | 'type'>>> {
    const rows = await this.dataSource
      .getRepository(OutcomeStatus)
      .find({ where: { archivedAt: IsNull() }, order: { code: 'ASC' } });
    return rows.map((s) => ({ id: s.id, code: s.code, label: s.label, type: s.type }));
  }

  private get repo() {
    return this.dataSource.getRepository(FollowUpTemplate);
  }

  async list(statusId?: number): Promise<FollowUpTemplateView[]> {
    const rows = await this.repo.find({
      where: statusId === undefined ? {} : { statusId },
      order: { statusId: 'ASC', reason: 'ASC', language: 'ASC' },
    });
    return rows.map(toTemplateView);
  }

  async get(id: number): Promise<FollowUpTemplateView> {
    return toTemplateView(await this.find(id));
  }

  async create(dto: FollowUpTemplateDto): Promise<FollowUpTemplateView> {
    await this.checkStatus(dto.statusId);
    this.check(dto.subject, dto.body);
    const row = this.repo.create({
      statusId: dto.statusId,
      reason: dto.reason ?? '',
      language: dto.language,
      subject: dto.subject,
      body: dto.body,
    });
    return toTemplateView(await this.unique(row, () => this.repo.save(row)));
  }

  async update(id: number, dto: UpdateFollowUpTemplateDto): Promise<FollowUpTemplateView> {
    const row = await this.find(id);
    for (const field of ['statusId', 'language', 'subject', 'body'] as const) {
      if (dto[field] === null) throw new ValidationError(field, `${field} must not be null`);
    }
    if (dto.statusId !== undefined) {
      await this.checkStatus(dto.statusId);
      row.statusId = dto.statusId;
    }
    if (dto.reason !== undefined) row.reason = dto.reason ?? '';
    if (dto.language !== undefined) row.language = dto.language;
    if (dto.subject !== undefined) row.subject = dto.subject;
    if (dto.body !== undefined) row.body = dto.body;
    this.check(row.subject, row.body);
    return toTemplateView(await this.unique(row, () => this.repo.save(row)));
  }

  async remove(id: number): Promise<void> {
    await this.find(id);
    await this.repo.delete({ id });
  }

  /** The template as the customer would read it, filled with a sample contact and operator. */
  preview(dto: FollowUpPreviewDto): FollowUpPreview {
    this.check(dto.subject, dto.body);
    const contact = {
      ...SAMPLE_CONTACT,
      language: dto.language ?? SAMPLE_CONTACT.language,
      callReason: SAMPLE_REASON,
    };
    const context = {
      contact,
      operator: SAMPLE_OPERATOR,
      more: factsContext(SAMPLE_FACTS, contact.language ?? 'it'),
    };
    return {
      subject: oneLineSubject(this.renderer.renderText(dto.subject, context)),
      text: this.renderer.renderText(dto.body, context),
      sample: { contact: { ...contact }, operator: { ...SAMPLE_OPERATOR } },
    };
  }

  private check(subject: string, body: string): void {
    if (/[\r\n]/.test(subject)) {
      throw new ValidationError('subject', 'subject must be one line');
    }
    checkFollowUpTemplate(this.renderer, 'subject', subject);
    checkFollowUpTemplate(this.renderer, 'body', body);
  }

  private async checkStatus(statusId: number): Promise<void> {
    const exists = await this.dataSource.getRepository(OutcomeStatus).existsBy({ id: statusId });
    if (!exists) {
      throw new ValidationError('statusId', `statusId: there is no outcome status ${statusId}`);
    }
  }

  private async find(id: number): Promise<FollowUpTemplate> {
    const row = await this.repo.findOneBy({ id });
    if (!row) throw new NotFoundError('follow-up template', id);
    return row;
  }

  /** The unique index on status + reason + language decides between two admins. */
  private async unique<T>(row: FollowUpTemplate, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const reason = row.reason === '' ? 'any reason' : `reason "${row.reason}"`;
      throw new ConflictError(
        `reason: status ${row.statusId} already has a ${row.language} template for ${reason}`,
        'reason',
      );
    }
  }
}

/** A subject is one line whatever the contact's data holds. */
export function oneLineSubject(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim()
    .slice(0, 300);
}
