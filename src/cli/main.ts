// kubectl gs: the argument parser (commander) and the dispatch to commands.
// `runCli` returns the exit code instead of exiting, so tests run it
// in-process; kubectl-gs.ts is the executable's entry point.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliError, describeFailure, type CliIo } from './cli-io.js';
import { describeCommand } from './commands/describe.js';
import { listCommand } from './commands/list.js';
import { releaseCommand } from './commands/release.js';
import { reserveCommand } from './commands/reserve.js';
import { setCommand } from './commands/set.js';
import { OUTPUT_FORMATS, parseDuration, type OutputFormat } from './format.js';
import { connect, type ConnectionFlags, type KubeTarget } from './kube-context.js';
import { parseImages, ReleaseInputError } from './plan-release.js';

interface GlobalFlags extends ConnectionFlags {
  readonly allNamespaces?: boolean;
}

export function parsePriority(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('want a non-negative integer');
  return Number(text);
}

function parseCount(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError('want a positive integer');
  return Number(text);
}

function parseTimeout(text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The commander program; `run` receives each command's action. */
export function buildProgram(io: CliIo, run: (action: (target: KubeTarget) => Promise<number>, flags: GlobalFlags) => Promise<void>): Command {
  const program = new Command('kubectl gs')
    .description('Batch operations and releases on OpenKruise Game rooms (GameServers).')
    .option('--kubeconfig <path>', 'path to the kubeconfig file')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-n, --namespace <namespace>', 'the namespace (default: the context namespace)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text, write) => write(text) });
  const flags = (command: Command): GlobalFlags => command.optsWithGlobals<GlobalFlags>();

  program
    .command('list')
    .alias('ls')
    .description('list rooms: state, opsState, priorities, revision (old/new), node, address, age')
    .argument('[set]', 'only the rooms of this GameServerSet')
    .option('-A, --all-namespaces', 'list rooms of every namespace')
    .option('-l, --selector <selector>', 'label selector')
    .option('--state <state>', 'only rooms in this state (Ready, NotReady, ...)')
    .option('--ops-state <opsState>', 'only rooms of this opsState (None, Allocated, ...)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS))
    .action(async (set: string | undefined, options: { allNamespaces?: boolean; selector?: string; state?: string; opsState?: string; output?: OutputFormat }, command: Command) => {
      await run(
        (target) =>
          listCommand(
            target,
            {
              allNamespaces: options.allNamespaces ?? false,
              ...(set ? { set } : {}),
              ...(options.selector ? { selector: options.selector } : {}),
              ...(options.state ? { state: options.state } : {}),
              ...(options.opsState ? { opsState: options.opsState } : {}),
              ...(options.output ? { output: options.output } : {}),
            },
            io,
          ),
        flags(command),
      );
    });

  program
    .command('describe')
    .description('show a room: conditions, service-quality results, recent events')
    .argument('<room>', 'GameServer name')
    .action(async (room: string, _options: unknown, command: Command) => {
      await run((target) => describeCommand(target, room, io), flags(command));
    });

  program
    .command('set')
    .description('set opsState and priorities of rooms, each atomically (a room changed meanwhile is skipped)')
    .argument('[rooms...]', 'GameServer names')
    .option('--set <set>', 'every room of this GameServerSet')
    .option('-l, --selector <selector>', 'rooms matching this label selector')
    .option('--ops-state <opsState>', 'new opsState (None, WaitToBeDeleted, Maintaining, Allocated, Kill or custom)')
    .option('--deletion-priority <n>', 'new deletionPriority', parsePriority)
    .option('--update-priority <n>', 'new updatePriority', parsePriority)
    .option('--if-ops-state <opsState>', 'only rooms whose opsState is this now')
    .option('--dry-run', 'validate on the server, store nothing')
    .action(
      async (
        rooms: string[],
        options: { set?: string; selector?: string; opsState?: string; deletionPriority?: number; updatePriority?: number; ifOpsState?: string; dryRun?: boolean },
        command: Command,
      ) => {
        await run(
          (target) =>
            setCommand(
              target,
              {
                names: rooms,
                ...(options.set !== undefined ? { set: options.set } : {}),
                ...(options.selector !== undefined ? { selector: options.selector } : {}),
                edit: { opsState: options.opsState, deletionPriority: options.deletionPriority, updatePriority: options.updatePriority },
                ...(options.ifOpsState !== undefined ? { ifOpsState: options.ifOpsState } : {}),
                dryRun: options.dryRun ?? false,
              },
              io,
            ),
          flags(command),
        );
      },
    );

  program
    .command('kill')
    .description('set opsState Kill: the rooms are deleted now and replicas lowered')
    .argument('<rooms...>', 'GameServer names')
    .option('--dry-run', 'validate on the server, store nothing')
    .action(async (rooms: string[], options: { dryRun?: boolean }, command: Command) => {
      await run((target) => setCommand(target, { names: rooms, edit: { opsState: 'Kill' }, dryRun: options.dryRun ?? false }, io), flags(command));
    });

  program
    .command('reserve')
    .description('take room ids out of a set (reserveGameServerIds); replicas is lowered by the rooms removed')
    .argument('<set>', 'GameServerSet name')
    .argument('<ids>', 'ids and ranges, e.g. 1,3-5')
    .option('--keep-replicas', 'keep replicas: other ids are created in place of the reserved ones')
    .option('--dry-run', 'validate on the server, store nothing')
    .action(async (set: string, ids: string, options: { keepReplicas?: boolean; dryRun?: boolean }, command: Command) => {
      await run((target) => reserveCommand(target, { set, ids, keepReplicas: options.keepReplicas ?? false, dryRun: options.dryRun ?? false }, io), flags(command));
    });

  program
    .command('release')
    .description('lossless release: OnDelete, new image, scale out, wait for new rooms Ready, idle old rooms WaitToBeDeleted (resumable)')
    .argument('<set>', 'GameServerSet name')
    .requiredOption('--image <container=image>', 'new image of a container (repeatable)', collect)
    .option('--new-rooms <n>', 'new rooms to start (default: as many rooms as the set has)', parseCount)
    .option('--timeout <duration>', 'longest wait for the new rooms, e.g. 90s, 10m', parseTimeout, 600_000)
    .action(async (set: string, options: { image: string[]; newRooms?: number; timeout: number }, command: Command) => {
      await run(async (target) => {
        let images: Record<string, string>;
        try {
          images = parseImages(options.image);
        } catch (error) {
          throw new CliError(error instanceof Error ? error.message : String(error), 1, { cause: error });
        }
        return releaseCommand(target, { set, images, timeoutMs: options.timeout, ...(options.newRooms !== undefined ? { newRooms: options.newRooms } : {}) }, io);
      }, flags(command));
    });
  return program;
}

/** Runs `kubectl gs` with `argv` (the arguments after the program name); resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, async (action, flags) => {
    try {
      const target = io.connect ? await io.connect() : await connect(flags, io.env);
      exitCode = await action(target);
    } catch (error) {
      io.stderr(`${describeFailure(error instanceof ReleaseInputError ? new CliError(error.message) : error)}\n`);
      exitCode = error instanceof CliError ? error.exitCode : 1;
    }
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return 1;
  }
  return exitCode;
}
