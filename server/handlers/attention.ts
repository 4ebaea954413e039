/** A student's allocation: moving the sliders and locking in. The reducer checks every rule. */
import type { Handlers } from './context';
import { versionRequest } from './room-events';

export const attentionHandlers: Pick<Handlers, 'attention:allocate' | 'attention:lock'> = {
  'attention:allocate': versionRequest('attention:allocate'),
  'attention:lock': versionRequest('attention:lock'),
};
