import { describeIfAvailable } from '../../support/describe-if-available.js';
import { ip, ipIn } from './ip.js';
import { NAME_PREFIX } from './stale-networks.js';

/**
 * Why this machine cannot make network namespaces, or null when it can: the tests need root
 * and iproute2's `ip netns`. Probed once per test file by making (and removing) one.
 */
function whyNamespacesAreUnavailable(): string | null {
  if (process.platform !== 'linux') return `network namespaces exist only on Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root';
  const probe = `${NAME_PREFIX}-probe-${process.pid}`;
  try {
    ip('netns', 'add', probe);
  } catch (error) {
    const message = (error as Error).message;
    return /ENOENT/.test(message) ? 'the `ip` command is missing (install iproute2)' : message;
  }
  try {
    // The harness also needs veth pairs and a bridge: made inside the probe, gone with it.
    ipIn(probe, 'link', 'add', 'probe0', 'type', 'bridge');
    ipIn(probe, 'link', 'add', 'probe1', 'type', 'veth', 'peer', 'name', 'probe2');
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    try {
      ip('netns', 'delete', probe);
    } catch {
      // Removed by the next run's stale clean-up, which knows the prefix.
    }
  }
}

const unavailable = whyNamespacesAreUnavailable();

/**
 * `describe` when network namespaces can be made; otherwise the block is skipped (counted
 * as skipped, never failed) and the reason is printed. Only these tests need root.
 */
export function describeWithNamespaces(name: string, body: () => void): void {
  const missing = unavailable && `network namespace tests skipped: ${unavailable} (they need root and iproute2's \`ip netns\`)`;
  describeIfAvailable(missing, name, body);
}
