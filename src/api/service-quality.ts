// `spec.serviceQualities`: probes run against every game server, and the
// actions that set GameServer fields from their results (OKG ServiceQuality,
// an inline core/v1 Probe plus name, containerName, permanent and actions).
import { z } from 'zod';
import { celRules } from './cel.js';
import { gameServerContainers, OPS_STATE_DESCRIPTION } from './game-server.js';
import { intOrString } from './int-or-string.js';
import { keyedList, stringMap } from './primitives.js';

/** A service-quality name: it also names the pod condition `game.kruise.io/<name>`. */
export const SERVICE_QUALITY_NAME_PATTERN = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
export const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
export const MAX_SERVICE_QUALITIES = 32;
export const MAX_ACTIONS = 32;

const port = (description: string) => intOrString(description, { minimum: 1, maximum: 65535, maxLength: 15 });

export const ServiceQualityActionSchema = z
  .object({
    state: z.boolean().describe('Fire when the probe result is this: true for success, false for failure.'),
    result: z.string().max(1024).optional().describe('Fire only when the probe output equals this string; any output when unset.'),
    opsState: z
      .string()
      .max(256)
      .optional()
      .describe(`Set spec.opsState of the GameServer. ${OPS_STATE_DESCRIPTION} May use the template {{.Result}} (the probe output).`),
    updatePriority: intOrString('Set spec.updatePriority; a string is a template that must render to an integer.', { maxLength: 256 }).optional(),
    deletionPriority: intOrString('Set spec.deletionPriority; a string is a template that must render to an integer.', { maxLength: 256 }).optional(),
    networkDisabled: z.boolean().optional().describe('Set spec.networkDisabled.'),
    containers: gameServerContainers('Accepted for compatibility with OpenKruise Game, which ignores it too.').optional(),
    labels: stringMap('Labels merged into the GameServer (never removed).').optional(),
    annotations: stringMap('Annotations merged into the GameServer (never removed).').optional(),
  })
  .describe('What to set on the GameServer when the probe gives a matching result. Only the fields given are applied; later actions win.');
export type ServiceQualityAction = z.infer<typeof ServiceQualityActionSchema>;

/** A probe goes to the pod's own IP: a `host` would let anyone who can create a set read any endpoint the operator reaches. */
export const PROBE_HOST_MESSAGE = "host is not supported: a probe goes to the pod's own IP (leave host unset)";
const NO_HOST_RULE = { rule: "!has(self.host) || self.host == ''", message: PROBE_HOST_MESSAGE, fieldPath: '.host', reason: 'FieldValueForbidden' } as const;
const hostUnset = (action: { host?: string | undefined }) => action.host === undefined || action.host === '';
const HOST_DESCRIPTION = 'Not supported (OKG/core accept it): must be unset, the probe goes to the pod IP.';

const ExecActionSchema = z
  .object({
    command: z.array(z.string()).min(1).describe('Command run in the container (no shell); exit code 0 is success and its output is the result.'),
  })
  .describe('Probe by running a command in the container.');

const HttpGetActionSchema = z
  .object({
    path: z.string().optional().describe('Path to request.'),
    port: port('Port number or name to connect to.'),
    host: z.string().optional().describe(HOST_DESCRIPTION),
    scheme: z.enum(['HTTP', 'HTTPS']).default('HTTP').describe('HTTP or HTTPS.'),
    httpHeaders: z
      .array(z.object({ name: z.string().describe('Header name.'), value: z.string().describe('Header value.') }).describe('An HTTP header.'))
      .optional()
      .describe('Headers to send.'),
  })
  .meta(celRules(NO_HOST_RULE))
  .refine(hostUnset, { message: PROBE_HOST_MESSAGE, path: ['host'] })
  .describe('Probe with an HTTP GET to the pod IP; a status from 200 to 399 is success (redirects are not followed).');

const TcpSocketActionSchema = z
  .object({
    port: port('Port number or name to connect to.'),
    host: z.string().optional().describe(HOST_DESCRIPTION),
  })
  .meta(celRules(NO_HOST_RULE))
  .refine(hostUnset, { message: PROBE_HOST_MESSAGE, path: ['host'] })
  .describe('Probe by opening a TCP connection to the pod IP.');

const GrpcActionSchema = z
  .object({
    port: z.int32().min(1).max(65535).describe('Port of the gRPC health service.'),
    service: z.string().optional().describe('Service name sent in the gRPC HealthCheckRequest.'),
  })
  .describe('Probe with the gRPC health checking protocol.');

const EXACTLY_ONE_HANDLER =
  PROBE_HANDLERS.map((handler) => `(has(self.${handler}) ? 1 : 0)`).join(' + ') + ' == 1';

export const ServiceQualitySchema = z
  .object({
    name: z.string().min(1).max(63).regex(SERVICE_QUALITY_NAME_PATTERN).describe('Name, unique in the GameServerSet; the probe result is the pod condition game.kruise.io/<name>.'),
    containerName: z.string().max(63).optional().describe('Container an exec probe runs in; the first container when unset.'),
    permanent: z
      .boolean()
      .default(false)
      .describe('Fire the actions once in the life of each GameServer (true), or every time the result changes (false).'),
    exec: ExecActionSchema.optional(),
    httpGet: HttpGetActionSchema.optional(),
    tcpSocket: TcpSocketActionSchema.optional(),
    grpc: GrpcActionSchema.optional(),
    initialDelaySeconds: z.int32().min(0).default(10).describe('Seconds after the container started before the first probe.'),
    timeoutSeconds: z.int32().min(1).default(5).describe('Seconds after which a probe fails.'),
    periodSeconds: z.int32().min(1).default(3).describe('Seconds between probes.'),
    successThreshold: z.int32().min(1).default(1).describe('Consecutive successes for the result to become true.'),
    failureThreshold: z.int32().min(1).default(3).describe('Consecutive failures for the result to become false.'),
    serviceQualityAction: z.array(ServiceQualityActionSchema).max(MAX_ACTIONS).optional().describe('Actions, applied in order.'),
  })
  .meta(celRules({ rule: EXACTLY_ONE_HANDLER, message: `exactly one of ${PROBE_HANDLERS.join(', ')} must be set` }))
  .refine((sq) => PROBE_HANDLERS.filter((handler) => sq[handler] !== undefined).length === 1, {
    message: `exactly one of ${PROBE_HANDLERS.join(', ')} must be set`,
  })
  .describe('A probe run against every game server and the actions its results trigger.');
export type ServiceQuality = z.infer<typeof ServiceQualitySchema>;

export const ServiceQualitiesSchema = keyedList(
  ServiceQualitySchema,
  'name',
  'Probes that set ops fields of the GameServers from what the game server reports. Names must be unique.',
).max(MAX_SERVICE_QUALITIES);
