/**
 * The one way the pages talk to the JSON API: same-origin credentials, the session's CSRF
 * token (meta[name="csrf-token"], checked by csrf-sync on every unsafe method), a JSON or
 * multipart body, and the server's JSON errors `{statusCode, message, ...details, said}` (see
 * src/common/http/all-exceptions.filter.ts) turned into an ApiError: `message` is the API's
 * English, `said` the same refusal in the signed-in user's language, each with its field.
 */

/** What the API answers on a refusal; `message` names the field ("cart.0.quantity: ..."). */
export interface ApiErrorBody {
  statusCode?: number;
  message?: string | string[];
  [detail: string]: unknown;
}

/** One message of a refusal and the field it starts with ('' when it names none). */
export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  /** The API's messages (English), one per field refused (empty when it sent none). */
  readonly messages: string[];
  /** What the refusal says in the user's language, each with its field. */
  readonly said: FieldError[];

  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    const messages = messagesOf(body);
    const said = saidOf(body);
    super(messages.join(' ') || `HTTP ${status}`);
    this.name = 'ApiError';
    this.messages = messages;
    this.said =
      said.length > 0 ? said : messages.map((message) => ({ field: fieldOf(message), message }));
  }

  /** What to show the user: the refusal in their language, one text per field. */
  get texts(): string[] {
    return this.said.map((item) => item.message);
  }

  /** Each text with the field it is about, for showing it beside that field. */
  get fieldErrors(): FieldError[] {
    return this.said;
  }
}

/** The answer of a request that succeeded; `body` is null for 204 or a body that is no JSON. */
export interface ApiResponse<T> {
  status: number;
  body: T | null;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as multipart/form-data (a file upload). */
  form?: FormData;
  /** The request may outlive the page (a draft sent on pagehide). */
  keepalive?: boolean;
  /** Headers of the request's own, e.g. `Prefer: return=minimal` when the page reloads after. */
  headers?: Record<string, string>;
}

let token: string | null = null;

/** The session's CSRF token, from the layout's meta tag ('' on pages without a session). */
export function csrfToken(): string {
  if (token === null) {
    const meta = document.querySelector('meta[name="csrf-token"]');
    token = meta?.getAttribute('content') ?? '';
  }
  return token;
}

/** The messages of an error body: `message` is a string or a list of them. */
export function messagesOf(body: unknown): string[] {
  if (!isRecord(body) || body.message === undefined || body.message === null) return [];
  const { message } = body;
  const list: unknown[] = Array.isArray(message) ? message : [message];
  return list.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

/** The refusal in the user's language: `said: [{field, text}]` (a browser session's answer). */
export function saidOf(body: unknown): FieldError[] {
  if (!isRecord(body) || !Array.isArray(body.said)) return [];
  return body.said
    .filter(isRecord)
    .flatMap((item) =>
      typeof item.text === 'string'
        ? [{ field: typeof item.field === 'string' ? item.field : '', message: item.text }]
        : [],
    );
}

/** The field an API message starts with: "callback.at: ..." or "answers.5 must be ...". */
export function fieldOf(message: string): string {
  const match = /^([A-Za-z_]\w*(?:\.\w+)*)(?::|\s)/.exec(message);
  return match?.[1] ?? '';
}

/**
 * A request to the API. Resolves with the status and the JSON body on 2xx; rejects with an
 * ApiError on any other status, and with the browser's own error when the network fails.
 */
export async function request<T>(
  url: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers,
    body,
    keepalive: options.keepalive === true,
  });
  if (response.status === 204) return { status: 204, body: null };
  const json = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) throw new ApiError(response.status, isRecord(json) ? json : {});
  return { status: response.status, body: json as T | null };
}

/** GET: the body, or an ApiError (also when a 2xx carries no JSON). */
export async function getJson<T>(url: string): Promise<T> {
  const answer = await request<T>(url);
  if (answer.body === null) throw new ApiError(answer.status, {});
  return answer.body;
}

/** POST a JSON body: the answer's body (null for 204). */
export async function postJson<T>(url: string, json: unknown = {}): Promise<T | null> {
  return (await request<T>(url, { method: 'POST', json })).body;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
