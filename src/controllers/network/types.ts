// The network plugin contract (OKG's cloudprovider.Plugin, without the
// webhook): a plugin is chosen by `spec.network.networkType`, parses its
// `networkConf`, may prepare a pod at creation, declares the Kubernetes
// objects each game server needs, and reports the network status of a game
// server from its pod, its node and those objects. Every method is pure: the
// network controller (controller/) and the GameServerSet controller do the I/O.
import type { NetworkState } from '../../api/game-server.js';
import type { CachedNode, CachedPod } from '../shared/informers.js';

/** One `spec.network.networkConf` entry. */
export interface NetworkConfParam {
  readonly name: string;
  readonly value?: string | undefined;
}

/** A bad parameter: which one, and what is wrong with it. */
export interface ConfProblem {
  readonly param: string;
  readonly message: string;
}

export type ParsedConf<C> = { readonly ok: true; readonly conf: C } | { readonly ok: false; readonly problems: readonly ConfProblem[] };

/** What parsing may check the conf against: the containers of the pod template. */
export interface ConfContext {
  readonly containerNames: readonly string[];
}

/** One port of a network address (OKG NetworkPort). */
export interface NetworkPortStatus {
  readonly name: string;
  readonly protocol?: string;
  readonly port?: number | string;
}

/** One address of a game server (OKG NetworkAddress). */
export interface NetworkAddressStatus {
  readonly ip: string;
  readonly ports?: readonly NetworkPortStatus[];
  readonly endPoint?: string;
}

/** What a plugin reports for one game server: written to the pod annotation game.kruise.io/network-status. */
export interface PodNetworkStatus {
  readonly networkType: string;
  readonly currentNetworkState: NetworkState;
  readonly internalAddresses?: readonly NetworkAddressStatus[];
  readonly externalAddresses?: readonly NetworkAddressStatus[];
}

/** Container ports added to a pod at creation, by container name. */
export interface ContainerPortSpec {
  readonly containerPort: number;
  readonly hostPort?: number;
  readonly protocol: string;
  readonly name?: string;
}

/** What a plugin changes in a pod before it is created (OKG's OnPodAdded). */
export interface PodPreparation {
  readonly containerPorts: Readonly<Record<string, readonly ContainerPortSpec[]>>;
}

/** The game server a plugin works for: its pod, its node and its set. */
export interface ServerFacts {
  readonly namespace: string;
  /** The pod's (and GameServer's) name, `<set>-<ordinal>`. */
  readonly name: string;
  readonly ordinal: number;
  readonly pod: CachedPod;
  readonly node: CachedNode | undefined;
  readonly set: { readonly name: string; readonly uid: string };
  /** GameServer spec.networkDisabled. */
  readonly networkDisabled: boolean;
  /** Containers of networkConf AllowNotReadyContainers. */
  readonly allowNotReadyContainers: readonly string[];
}

export type ObjectKind = 'Service' | 'Ingress';

/** A Kubernetes object a plugin wants to exist for one game server, as plain JSON. */
export interface DesiredObject {
  readonly kind: ObjectKind;
  readonly manifest: ManagedManifest;
}

export interface ManagedManifest {
  readonly apiVersion: string;
  readonly kind: ObjectKind;
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    readonly ownerReferences: readonly ManifestOwner[];
  };
  readonly spec: Readonly<Record<string, unknown>>;
}

export interface ManifestOwner {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller: true;
  readonly blockOwnerDeletion: true;
}

/** The cached objects of one game server, by kind (undefined: not there). */
export type ObservedObjects = Readonly<Partial<Record<ObjectKind, Readonly<Record<string, unknown>>>>>;

export interface NetworkPlugin<C = unknown> {
  /** `spec.network.networkType`, e.g. `Kubernetes-HostPort`. */
  readonly networkType: string;
  /** OKG's "network isolation": networkDisabled takes the game server off the network. */
  readonly supportsNetworkDisabled: boolean;
  parse(conf: readonly NetworkConfParam[], context: ConfContext): ParsedConf<C>;
  /** Host ports each new pod needs (allocated by the GameServerSet controller before preparePod). */
  hostPortsNeeded?(conf: C): number;
  /** Pod changes at creation; `hostPorts` holds hostPortsNeeded(conf) ports. */
  preparePod?(conf: C, hostPorts: readonly number[]): PodPreparation;
  /** The objects the game server needs (empty: none). */
  desiredObjects(conf: C, server: ServerFacts): readonly DesiredObject[];
  /** The network status of the game server from its facts and observed objects. */
  computeStatus(conf: C, server: ServerFacts, observed: ObservedObjects): PodNetworkStatus;
}
