import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { WebSession } from '../../src/auth/web-session.entity';
import {
  ACTIVE_CALLBACK_STATES,
  Callback,
  type CallbackState,
} from '../../src/callbacks/callback.entity';
import { valuePlaceholders } from '../../src/common/database/sql-dialect';
import { Contact } from '../../src/contacts/contact.entity';
import type { CallbackVisibility } from '../../src/outcome-statuses/outcome-status.entity';
import { createContact, mobile } from './contact.factory';

/** Rows per multi-row INSERT of createWaitingCallbacks (well under SQLite's bound variables). */
const BULK_ROWS = 1000;
/** Phones of the bulk contacts: a range createContact never reaches. */
let bulkSequence = 5_000_000;

/**
 * A callback written straight to the database, on a new contact waiting for it (state
 * `callback`) unless `contactId` is given. Public, scheduled, due now unless told. An
 * active one holds its contact's number in `activePhone`, as CallbackBook writes it: a
 * second active callback for one number (one contact, or the same number in another
 * campaign) is refused by UQ_callbacks_active_phone, as the product refuses it.
 */
export async function createCallback(
  app: INestApplication,
  campaignId: number,
  overrides: Partial<Callback> = {},
): Promise<Callback> {
  const db = app.get(DataSource);
  const contact = overrides.contactId
    ? await db.getRepository(Contact).findOneByOrFail({ id: overrides.contactId })
    : await createContact(app, campaignId, { state: 'callback' });
  const active = ACTIVE_CALLBACK_STATES.includes(overrides.state ?? 'scheduled');
  return db.getRepository(Callback).save({
    contactId: contact.id,
    campaignId,
    activePhone: active ? contact.phone : null,
    ownerId: null,
    visibility: 'public',
    state: 'scheduled',
    dueAt: new Date(),
    notes: null,
    reason: 'Richiamare',
    answers: null,
    assignedAt: null,
    escalatedAt: null,
    escalationReason: null,
    interactionId: null,
    closedAt: null,
    ...overrides,
  });
}

/** A browser session of the user until `expiresAt` (what "signed in" means to the jobs). */
export async function createWebSession(
  app: INestApplication,
  userId: number,
  expiresAt: Date,
): Promise<void> {
  await app
    .get(DataSource)
    .getRepository(WebSession)
    .insert({ id: randomBytes(32).toString('hex'), userId, data: '{}', expiresAt });
}

export interface WaitingCallback {
  ownerId: number | null;
  visibility: CallbackVisibility;
  state: CallbackState;
  dueAt: Date;
}

/**
 * One new contact of the campaign per row, each waiting (state `callback`) for the callback
 * its row describes, written with multi-row INSERTs on either database: thousands in a few
 * statements. Returns the callbacks in the order of `rows`.
 */
export async function createWaitingCallbacks(
  app: INestApplication,
  campaignId: number,
  rows: WaitingCallback[],
): Promise<Array<{ id: number; contactId: number }>> {
  const db = app.get(DataSource);
  const dueAt = db.getMetadata(Callback).findColumnWithPropertyName('dueAt')!;
  const made: Array<{ id: number; contactId: number }> = [];
  for (let from = 0; from < rows.length; from += BULK_ROWS) {
    const batch = rows.slice(from, from + BULK_ROWS);
    const phones = batch.map(() => mobile(bulkSequence++));
    await db.query(
      `INSERT INTO contacts (campaign_id, first_name, last_name, phone, state) VALUES ${valuePlaceholders(batch.length, 5)}`,
      phones.flatMap((phone, i) => [campaignId, 'Nome', `Cognome ${from + i}`, phone, 'callback']),
    );
    const contacts = await db
      .getRepository(Contact)
      .find({ select: { id: true, phone: true }, where: { campaignId, phone: In(phones) } });
    const contactOf = new Map(contacts.map((c) => [c.phone, c.id]));
    const contactIds = phones.map((phone) => contactOf.get(phone)!);
    await db.query(
      `INSERT INTO callbacks (contact_id, campaign_id, owner_id, visibility, state, due_at, reason, active_phone) VALUES ${valuePlaceholders(batch.length, 8)}`,
      batch.flatMap((row, i): unknown[] => [
        contactIds[i],
        campaignId,
        row.ownerId,
        row.visibility,
        row.state,
        // The value TypeORM itself writes for a datetime, in either dialect.
        db.driver.preparePersistentValue(row.dueAt, dueAt) as unknown,
        'Richiamare',
        // As CallbackBook writes it: the contact's number while the callback is active.
        ACTIVE_CALLBACK_STATES.includes(row.state) ? phones[i] : null,
      ]),
    );
    const callbacks = await db
      .getRepository(Callback)
      .find({ select: { id: true, contactId: true }, where: { contactId: In(contactIds) } });
    const callbackOf = new Map(callbacks.map((c) => [c.contactId, c.id]));
    made.push(...contactIds.map((contactId) => ({ id: callbackOf.get(contactId)!, contactId })));
  }
  return made;
}
