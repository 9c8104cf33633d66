import type { ContactDetailView } from './contact-card.service';

/** The contact page: details, custom fields as rows, the history sections. */
export function contactPageView(contact: ContactDetailView) {
  return {
    title: 'contacts.show.title',
    contact,
    customFields: Object.entries(contact.fields).map(([key, value]) => ({ key, value })),
  };
}
