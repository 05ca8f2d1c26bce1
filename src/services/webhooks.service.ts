import { classifyAddress } from '../net/address-policy.js';
import { AppError } from '../errors.js';
import type { ProjectsRepository } from '../repositories/projects.repo.js';
import type {
  DeliveryStatus,
  WebhookDeliveriesRepository,
} from '../repositories/webhook-deliveries.repo.js';
import type { WebhookOutboxRepository } from '../repositories/webhook-outbox.repo.js';
import { newWebhookSecret } from '../webhooks/signing.js';
import { notFound, type Transaction } from './release.service.js';

export interface WebhooksServiceDeps {
  transaction: Transaction;
  projects: ProjectsRepository;
  outbox: WebhookOutboxRepository;
  deliveries: WebhookDeliveriesRepository;
  /** WEBHOOK_ALLOW_PRIVATE: plain http and private addresses allowed. */
  allowPrivate: boolean;
}

const MAX_URL_LENGTH = 2048;

/**
 * Checks a webhook URL a user gives, before it is stored: https (http only where private
 * addresses are allowed, i.e. development), no credentials, and no address literal or
 * `localhost` name outside the public internet. Names are checked again at every attempt,
 * against what they resolve to then.
 */
export function checkWebhookUrl(value: string, allowPrivate: boolean): URL {
  const refuse = (why: string) =>
    new AppError('VALIDATION_FAILED', `url: ${why}`, {
      hint: 'Give an https URL on the public internet, e.g. https://hooks.example.com/sheen.',
    });
  if (value.length > MAX_URL_LENGTH) throw refuse(`must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse('is not a URL');
  }
  const schemes = allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw refuse(`must start with ${schemes.join(' or ')}//`);
  if (url.username || url.password) throw refuse('must not carry a user name or password');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = classifyAddress(host);
  const local = host === 'localhost' || host.endsWith('.localhost');
  if (!allowPrivate && ((literal && literal.kind !== 'public') || local)) {
    throw refuse(`${host} is not a public address`);
  }
  return url;
}

/** Per-project endpoints (set by the project's owner) and the operator's view of deliveries. */
export class WebhooksService {
  constructor(private readonly deps: WebhooksServiceDeps) {}

  /**
   * Sets the project's endpoint with a new signing secret, returned this once. Setting it
   * again (same URL or not) replaces the secret: deliveries still owed go to the new URL's
   * secret only if the URL is unchanged, and are cancelled otherwise.
   */
  async setEndpoint(projectId: string, userId: string, url: string) {
    const checked = checkWebhookUrl(url, this.deps.allowPrivate).toString();
    const secret = newWebhookSecret();
    await this.deps.transaction(async (tx) => {
      if (!(await this.deps.projects.lockOwned(tx, projectId, userId))) throw notFound(projectId);
      await this.deps.outbox.setEndpoint(tx, { projectId, url: checked, secret });
    });
    return { projectId, url: checked, secret };
  }

  async getEndpoint(projectId: string, userId: string) {
    if (!(await this.deps.projects.getOwned(projectId, userId))) throw notFound(projectId);
    const found = await this.deps.outbox.endpoint(projectId);
    return { projectId, url: found?.url ?? null };
  }

  async removeEndpoint(projectId: string, userId: string): Promise<boolean> {
    return this.deps.transaction(async (tx) => {
      if (!(await this.deps.projects.lockOwned(tx, projectId, userId))) throw notFound(projectId);
      return this.deps.outbox.removeEndpoint(tx, projectId);
    });
  }

  listDeliveries(status: DeliveryStatus | undefined, limit: number) {
    return this.deps.deliveries.list({ status, limit });
  }

  async redeliver(deliveryId: string) {
    const found = await this.deps.deliveries.redeliver(deliveryId);
    if (!found) {
      throw new AppError('NOT_FOUND', `No webhook delivery ${deliveryId}`, {
        hint: 'List deliveries with GET /v1/admin/webhooks/deliveries.',
      });
    }
    return found;
  }
}
