import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Contact } from '../../src/contacts/contact.entity';
import { DoNotCallNumber } from '../../src/do-not-call/do-not-call-number.entity';

let sequence = 0;

/** A valid Italian mobile in E.164, different for every n (n < 10,000,000). */
export function mobile(n: number): string {
  return `+39333${String(n).padStart(7, '0')}`;
}

/** A contact written straight to the database (tests of the import go through the API). */
export async function createContact(
  app: INestApplication,
  campaignId: number,
  overrides: Partial<Contact> = {},
): Promise<Contact> {
  sequence += 1;
  return app
    .get(DataSource)
    .getRepository(Contact)
    .save({
      campaignId,
      firstName: `Nome${sequence}`,
      lastName: `Cognome${sequence}`,
      phone: mobile(9_000_000 + sequence),
      email: null,
      language: null,
      city: null,
      province: null,
      fields: null,
      state: 'new',
      attempts: 0,
      lastStatusId: null,
      lastOutcomeAt: null,
      ...overrides,
    });
}

export async function addToDoNotCall(app: INestApplication, phone: string): Promise<void> {
  await app
    .get(DataSource)
    .getRepository(DoNotCallNumber)
    .insert({ phone, reason: null, addedBy: null });
}

/** A CSV file from rows of cells (quoted when needed), lines joined with `eol`. */
export function csv(rows: string[][], eol = '\n'): string {
  return (
    rows
      .map((row) =>
        row
          .map((cell) => (/[",\r\n;]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell))
          .join(','),
      )
      .join(eol) + eol
  );
}
