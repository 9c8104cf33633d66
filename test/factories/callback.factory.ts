import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WebSession } from '../../src/auth/web-session.entity';
import { Callback } from '../../src/callbacks/callback.entity';
import { createContact } from './contact.factory';

/**
 * A callback written straight to the database, on a new contact waiting for it (state
 * `callback`) unless `contactId` is given. Public, scheduled, due now unless told.
 */
export async function createCallback(
  app: INestApplication,
  campaignId: number,
  overrides: Partial<Callback> = {},
): Promise<Callback> {
  const contactId =
    overrides.contactId ?? (await createContact(app, campaignId, { state: 'callback' })).id;
  return app
    .get(DataSource)
    .getRepository(Callback)
    .save({
      contactId,
      campaignId,
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
