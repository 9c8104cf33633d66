import { promisify } from 'node:util';
import type { Request, Response } from 'express';
import type { Language } from '../../config/app.config';
import type { FlashMessage } from '../http/request-context';
import { setLayoutLocals } from './view-locals';

/**
 * After a form was saved: the message for the next page, written to the session before the
 * redirect, or the next page could be read before the message is.
 */
export async function redirectWithFlash(
  req: Request,
  res: Response,
  location: string,
  flash: FlashMessage[],
): Promise<void> {
  req.session.flash = flash;
  await promisify(req.session.save.bind(req.session))();
  res.redirect(303, location);
}

/**
 * A refused form answered with its page itself, with the refusal's status and the form
 * error message. Pages' layout locals are filled for GETs only, so here they are filled too.
 */
export function renderRefusedForm(
  req: Request,
  res: Response,
  defaultLanguage: Language,
  statusCode: number,
  view: string,
  model: object,
): void {
  setLayoutLocals(req, res, defaultLanguage);
  res.locals.flash = [{ type: 'error', text: 'errors.form' }];
  res.status(statusCode).render(view, model);
}
