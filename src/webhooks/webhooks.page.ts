import type { FormState } from '../common/http/request-context';
import type { WebhookDeliveryView, WebhookEndpointView } from './dto/webhook-endpoint.dto';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';

/** The webhooks page's view model: paused endpoints first as a banner, the endpoints, the log. */

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function webhooksPage(
  endpoints: WebhookEndpointView[],
  deliveries: WebhookDeliveryView[],
  form: FormState | undefined,
) {
  const typed = form?.values ?? {};
  const typedEvents = Array.isArray(typed.events)
    ? (typed.events as unknown[]).map(text)
    : [text(typed.events)];
  const fromForm = Object.keys(typed).length > 0;
  const urls = new Map(endpoints.map((e) => [e.id, e.url]));
  return {
    title: 'webhooks.title',
    paused: endpoints.filter((e) => e.paused && e.active),
    endpoints: endpoints.map((e) => ({
      ...e,
      state: !e.active ? 'inactive' : e.paused ? 'paused' : 'active',
    })),
    deliveries: deliveries.map((d) => ({
      ...d,
      url: urls.get(d.endpointId) ?? '',
      retryable: d.state === 'failed' || d.state === 'queued',
    })),
    values: { url: fromForm ? text(typed.url) : '' },
    eventChoices: WEBHOOK_EVENT_TYPES.map((type) => ({
      type,
      checked: fromForm ? typedEvents.includes(type) : false,
    })),
  };
}
