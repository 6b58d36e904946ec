import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ip, ipIn } from './ip.js';
import { bridgeAlias, NAME_PREFIX, STATE_ROOT } from './stale-networks.js';

/** One machine of the test: a network namespace with its own address on the app network. */
export interface NetworkHost {
  role: string;
  namespace: string;
  /** Its address on the app network, the one PostgreSQL is on. */
  address: string;
  /**
   * Its cable: the root-namespace end of its link to the app network's bridge. Taking it down
   * drops every packet silently, as a pulled cable or a partition does: nothing tells either
   * side, only timeouts find out.
   */
  hostInterface: string;
}

export interface TestNetwork {
  /** Unique among running harnesses: `tfnet<subnet>-<pid>`. */
  name: string;
  /** PostgreSQL's address: the bridge's own, in the root namespace. */
  databaseAddress: string;
  /** The app network, for pg_hba.conf. */
  appSubnet: string;
  hosts: Map<string, NetworkHost>;
  /**
   * The API's address on its second link, straight from the root namespace: the test reaches
   * the API over it while the API's link to PostgreSQL is cut.
   */
  apiClientAddress: string | undefined;
  /** A folder of this harness's own (PostgreSQL's data directory goes in it). */
  stateDir: string;
  host(role: string): NetworkHost;
  /** `ip link set <host's cable> down`. */
  cut(role: string): void;
  restore(role: string): void;
  /** Removes everything, killing what still runs in the namespaces. */
  destroy(): void;
}

/** 10.231.<n>.0/24 is the app network (bridge, API, workers), 10.232.<n>.0/24 the API's client link. */
const APP_NETWORK = '10.231';
const CLIENT_NETWORK = '10.232';

/**
 * Builds the network: a bridge in the root namespace (PostgreSQL listens on its address),
 * and one namespace per role, linked to the bridge by a veth pair. `api` also gets a second
 * veth straight to the root namespace, so cutting its app link leaves the test able to reach it.
 * Roles: `api` and worker names (`w1`…), at most three characters.
 */
export function createTestNetwork(roles: readonly string[]): TestNetwork {
  const subnet = claimSubnet();
  const name = `${NAME_PREFIX}${subnet}-${process.pid}`;
  const bridge = `${NAME_PREFIX}${subnet}`;
  const stateDir = join(STATE_ROOT, name);
  const hosts = new Map<string, NetworkHost>();
  let apiClientAddress: string | undefined;

  const destroy = () => {
    const problems: string[] = [];
    for (const host of hosts.values()) {
      try {
        for (const pid of ip('netns', 'pids', host.namespace).split(/\s+/).filter(Boolean)) killQuietly(Number(pid));
        // Deleting the namespace deletes its veth ends, and with them their peers on the bridge.
        ip('netns', 'delete', host.namespace);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    try {
      ip('link', 'delete', bridge);
    } catch (error) {
      problems.push((error as Error).message);
    }
    rmSync(stateDir, { recursive: true, force: true });
    if (problems.length > 0) throw new Error(`tearing down network ${name}: ${problems.join('; ')}`);
  };

  try {
    ip('link', 'set', bridge, 'alias', bridgeAlias(process.pid));
    ip('addr', 'add', `${APP_NETWORK}.${subnet}.1/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    mkdirSync(stateDir, { recursive: true });
    // PostgreSQL runs as the postgres user, who must reach its data directory in here.
    chmodSync(STATE_ROOT, 0o755);
    chmodSync(stateDir, 0o755);

    roles.forEach((role, index) => {
      if (!/^[a-z0-9]{1,3}$/.test(role)) throw new Error(`role "${role}": at most three lowercase letters or digits`);
      const namespace = `${name}-${role}`;
      const host: NetworkHost = {
        role,
        namespace,
        address: `${APP_NETWORK}.${subnet}.${10 + index}`,
        hostInterface: `tf${subnet}${role}`,
      };
      ip('netns', 'add', namespace);
      hosts.set(role, host);
      ipIn(namespace, 'link', 'set', 'lo', 'up');
      link(namespace, host.hostInterface, 'app0', `${host.address}/24`);
      ip('link', 'set', host.hostInterface, 'master', bridge, 'up');
      if (role === 'api') {
        const rootEnd = `tf${subnet}cli`;
        apiClientAddress = `${CLIENT_NETWORK}.${subnet}.10`;
        link(namespace, rootEnd, 'client0', `${apiClientAddress}/24`);
        ip('addr', 'add', `${CLIENT_NETWORK}.${subnet}.1/24`, 'dev', rootEnd);
        ip('link', 'set', rootEnd, 'up');
      }
    });
  } catch (error) {
    try {
      destroy();
    } catch {
      // The creation error below is the one worth reading.
    }
    throw error;
  }

  const host = (role: string) => {
    const found = hosts.get(role);
    if (!found) throw new Error(`no host "${role}" in network ${name}`);
    return found;
  };
  return {
    name,
    databaseAddress: `${APP_NETWORK}.${subnet}.1`,
    appSubnet: `${APP_NETWORK}.${subnet}.0/24`,
    hosts,
    apiClientAddress,
    stateDir,
    host,
    cut: (role) => ip('link', 'set', host(role).hostInterface, 'down'),
    restore: (role) => ip('link', 'set', host(role).hostInterface, 'up'),
    destroy,
  };
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Exited meanwhile.
  }
}

/** A veth pair: `rootEnd` stays in the root namespace, `inside` moves into `namespace` with `cidr`. */
function link(namespace: string, rootEnd: string, inside: string, cidr: string): void {
  ip('link', 'add', rootEnd, 'type', 'veth', 'peer', 'name', inside, 'netns', namespace);
  ipIn(namespace, 'addr', 'add', cidr, 'dev', inside);
  ipIn(namespace, 'link', 'set', inside, 'up');
}

/**
 * Picks a free /24 number and claims it by creating its bridge: `ip link add` fails when the
 * name exists, so two harnesses starting at once never share a subnet.
 */
function claimSubnet(): number {
  const start = process.pid % 254;
  for (let offset = 0; offset < 254; offset += 1) {
    const subnet = ((start + offset) % 254) + 1;
    try {
      ip('link', 'add', 'name', `${NAME_PREFIX}${subnet}`, 'type', 'bridge');
      return subnet;
    } catch (error) {
      if (!/File exists/.test((error as Error).message)) throw error;
    }
  }
  throw new Error(`no free ${APP_NETWORK}.x.0/24 subnet: 254 ${NAME_PREFIX}<n> bridges exist`);
}
