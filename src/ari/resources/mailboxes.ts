import type { MailboxesApi } from '../operations.js';
import type { HttpTransport } from '../transport/http.js';
import { operation } from './request.js';

const op = {
  list: operation('mailboxes', 'list'),
  get: operation('mailboxes', 'get'),
  update: operation('mailboxes', 'update'),
  delete: operation('mailboxes', 'delete'),
};

/** `client.mailboxes`: every operation of ARI's `mailboxes` resource, sent through `http`. */
export function createMailboxesApi(http: HttpTransport): MailboxesApi {
  return {
    list: (params, options) => http.call(op.list, params, options),
    get: (params, options) => http.call(op.get, params, options),
    update: (params, options) => http.call(op.update, params, options),
    delete: (params, options) => http.call(op.delete, params, options),
  };
}
