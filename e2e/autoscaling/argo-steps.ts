// Runs the steps of an Argo Workflow made only of kubectl container templates
// (examples/room-release/workflow.yaml), the way Argo would, without Argo:
// each step's container args with Argo's variables substituted
// ({{workflow.parameters.*}}, {{inputs.parameters.*}}, {{steps.*.outputs.result}},
// {{item}}; any other {{…}}, such as a kubectl go-template, left as is),
// withParam fan-out, and continueOn.failed. kubectl runs in the namespace the
// workflow would run in.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { runKubectl, type CommandResult } from '../support/index.js';

interface Parameter {
  name: string;
  value?: string;
}

interface Step {
  name: string;
  template: string;
  withParam?: string;
  when?: string;
  continueOn?: { failed?: boolean };
  arguments?: { parameters?: Parameter[] };
}

interface Template {
  name: string;
  steps?: Step[][];
  inputs?: { parameters?: Parameter[] };
  container?: { image: string; command?: string[]; args?: string[] };
}

export interface Workflow {
  spec: { entrypoint: string; arguments: { parameters: Parameter[] }; templates: Template[] };
}

export async function readWorkflow(path: string): Promise<Workflow> {
  return parseYaml(await readFile(path, 'utf8')) as Workflow;
}

/** The step names of a steps template (default: the entrypoint), in order. */
export function stepNames(workflow: Workflow, template = workflow.spec.entrypoint): string[] {
  const main = workflow.spec.templates.find((t) => t.name === template);
  return (main?.steps ?? []).flat().map((step) => step.name);
}

export interface StepRun {
  readonly step: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly result: CommandResult;
}

export interface RunOptions {
  /** Steps (by name, at any depth) not run: they count as Skipped. */
  readonly skip?: readonly string[];
  /** Longest run of one kubectl (default 120 s). */
  readonly timeoutMs?: number;
}

type Scope = Record<string, string>;

function substitute(text: string, scope: Scope): string {
  return text.replace(/\{\{\s*((?:workflow\.parameters|inputs\.parameters|steps)\.[\w.-]+|item)\s*\}\}/g, (whole, name: string) => {
    const value = scope[name];
    if (value === undefined) throw new Error(`unresolved ${whole}`);
    return value;
  });
}

/** `when` as Argo evaluates the simple forms used here: `<a> == <b>` / `<a> != <b>` after substitution. */
function holds(when: string, scope: Scope): boolean {
  const match = /^\s*(\S+)\s*(==|!=)\s*(\S+)\s*$/.exec(substitute(when, scope));
  if (!match) throw new Error(`unsupported when: ${when}`);
  return match[2] === '==' ? match[1] === match[3] : match[1] !== match[3];
}

/**
 * Runs the entrypoint's steps in order, as Argo would (withParam items one
 * after another). A failed step throws, unless continueOn.failed.
 */
export async function runWorkflowSteps(workflow: Workflow, namespace: string, options: RunOptions = {}): Promise<StepRun[]> {
  const templates = new Map(workflow.spec.templates.map((t) => [t.name, t]));
  const globals: Scope = Object.fromEntries(workflow.spec.arguments.parameters.map((p) => [`workflow.parameters.${p.name}`, p.value ?? '']));
  const runs: StepRun[] = [];

  /** Runs a template with its inputs; resolves with its stdout (containers) and whether it succeeded. */
  async function run(name: string, inputs: Scope): Promise<{ ok: boolean; result: string }> {
    const template = templates.get(name);
    if (template === undefined) throw new Error(`no template ${name}`);
    const scope: Scope = { ...globals, ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`inputs.parameters.${k}`, v])) };
    if (template.container !== undefined) {
      if (!/^registry\.k8s\.io\/kubectl:v\d+\.\d+\.\d+$/.test(template.container.image) || template.container.command !== undefined) {
        throw new Error(`template ${name}: expected registry.k8s.io/kubectl with args only, got ${template.container.image}`);
      }
      const args = (template.container.args ?? []).map((arg) => substitute(arg, scope));
      const result = await runKubectl(['-n', namespace, ...args], { timeoutMs: options.timeoutMs ?? 120_000 });
      runs.push({ step: name, inputs, result });
      return { ok: result.code === 0, result: result.stdout.trim() };
    }
    for (const step of (template.steps ?? []).flat()) {
      if (options.skip?.includes(step.name) || (step.when !== undefined && !holds(step.when, scope))) {
        scope[`steps.${step.name}.status`] = 'Skipped';
        continue;
      }
      const items: (string | undefined)[] = step.withParam === undefined ? [undefined] : (JSON.parse(substitute(step.withParam, scope)) as string[]);
      let ok = true;
      for (const item of items) {
        const local: Scope = { ...scope, ...(item === undefined ? {} : { item }) };
        const args = Object.fromEntries((step.arguments?.parameters ?? []).map((p) => [p.name, substitute(p.value ?? '', local)]));
        const outcome = await run(step.template, args);
        if (!outcome.ok && step.continueOn?.failed !== true) {
          throw new Error(`step ${step.name} ${JSON.stringify(args)} failed: ${runs.at(-1)?.result.stderr.trim() ?? ''}`);
        }
        ok &&= outcome.ok;
        if (item === undefined) scope[`steps.${step.name}.outputs.result`] = outcome.result;
      }
      scope[`steps.${step.name}.status`] = ok ? 'Succeeded' : 'Failed';
    }
    return { ok: true, result: '' };
  }

  await run(workflow.spec.entrypoint, {});
  return runs;
}
