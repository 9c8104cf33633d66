import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Appointment } from '../../src/appointments/appointment.entity';

/** A booked visit written straight into the agenda (what a confirmed T outcome leaves). */
export async function createAppointment(
  app: INestApplication,
  values: Pick<Appointment, 'agentId' | 'campaignId' | 'contactId'> & {
    startsAt: string;
    minutes?: number;
  } & Partial<Omit<Appointment, 'startsAt'>>,
): Promise<Appointment> {
  const { startsAt, minutes = 60, ...rest } = values;
  const start = new Date(startsAt);
  return app
    .get(DataSource)
    .getRepository(Appointment)
    .save({
      operatorId: null,
      endsAt: new Date(start.getTime() + minutes * 60_000),
      state: 'booked',
      overlaps: false,
      notes: null,
      ...rest,
      startsAt: start,
    });
}
