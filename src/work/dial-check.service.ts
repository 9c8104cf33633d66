import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ForbiddenError, ValidationError } from '../common/errors/domain-errors';
import { Contact } from '../contacts/contact.entity';
import { PhoneNumbers } from '../common/phone/phone-number';
import { DoNotCallService } from '../do-not-call/do-not-call.service';
import { LeasesService } from './leases.service';

/** The number dialled, in E.164, when it is one of the contact's; 400 naming `field` otherwise. */
export function dialledNumber(
  phones: PhoneNumbers,
  raw: string,
  contact: Pick<Contact, 'phone' | 'otherPhones'>,
  field: string,
): string {
  const number = phones.normalise(raw);
  const numbers = [contact.phone, ...(contact.otherPhones ?? []).map((p) => p.number)];
  if (!number || !numbers.includes(number)) {
    throw new ValidationError(field, `${field} must be one of the contact’s numbers`).say(
      'work.errors.dialledPhone',
    );
  }
  return number;
}

/**
 * Before the softphone dials one of the leased contact's numbers: it must be theirs and not
 * on the do-not-call list (the same check dispatch makes of the main number).
 */
@Injectable()
export class DialCheckService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly leases: LeasesService,
    private readonly phones: PhoneNumbers,
    private readonly doNotCall: DoNotCallService,
  ) {}

  async check(userId: number, contactId: number, raw: string): Promise<{ phone: string }> {
    const lease = await this.leases.current(userId);
    if (!lease || lease.contactId !== contactId) {
      throw new ForbiddenError(`contactId: contact ${contactId} is not leased to you`).say(
        'work.errors.notLeased',
      );
    }
    const contact = await this.dataSource.getRepository(Contact).findOneByOrFail({ id: contactId });
    const phone = dialledNumber(this.phones, raw, contact, 'phone');
    await this.doNotCall.refuseListed(phone, 'phone', contact.campaignId);
    return { phone };
  }
}
