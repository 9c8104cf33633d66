import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CampaignAccess } from '../campaigns/campaign-access';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ContactsService } from '../contacts/contacts.service';
import type { ContactWithCampaign } from '../contacts/dto/contact.view';
import { type ContactHistory, loadContactHistory } from './contact-history';

/** A contact with its campaign and the history its viewer may see, newest first. */
export interface ContactDetailView extends ContactWithCampaign, ContactHistory {}

/**
 * The contact card: the contact page, `GET /api/v1/contacts/:id` and the workstation read
 * it here, above the capabilities whose rows it shows, each filtered by that capability's
 * own visibility rule for the user asking.
 */
@Injectable()
export class ContactCardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly access: CampaignAccess,
  ) {}

  /** A contact the user may open (403 / 404 otherwise). */
  async forUser(id: number, user: AuthenticatedUser): Promise<ContactDetailView> {
    return this.withHistory(await this.contacts.open(id, user), user);
  }

  /** The contact the user holds the lease on (the lease is the authorisation to open it). */
  async forLeaseHolder(id: number, user: AuthenticatedUser): Promise<ContactDetailView> {
    return this.withHistory(await this.contacts.openLeased(id), user);
  }

  private async withHistory(
    contact: ContactWithCampaign,
    user: AuthenticatedUser,
  ): Promise<ContactDetailView> {
    const viewer = await this.access.viewer(user);
    return {
      ...contact,
      ...(await loadContactHistory(this.dataSource.manager, contact.id, viewer)),
    };
  }
}
