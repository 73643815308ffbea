// `pkt run <action>`: the whole command as a plain function of its arguments and its IO, so
// the yargs module stays a list of options. Plan (run-plan.ts), the server (with-server.ts),
// execute (run-execute.ts), exit code (run-exit.ts). Returns the exit code; a UsageError
// thrown anywhere is the guard's to print.

import type { ManifestAction } from '../../protocol/index.js';
import { preloadOutput } from '../output/index.js';
import { writeText } from '../output/sink.js';
import { EXIT } from './exit-codes.js';
import { requireAction } from './manifest.js';
import { executeRun, type ExecuteIO } from './run-execute.js';
import { runExitCode } from './run-exit.js';
import { inputError, planRun, runInput, type OwnOptions, type PlanIO, type RunArgs } from './run-plan.js';
import { schemaProblems } from './validate-input.js';
import { describeFields, fieldLines, type FieldInfo } from './schema-flags.js';
import { withServer } from './with-server.js';

export type { OwnOptions, RunArgs } from './run-plan.js';

export interface RunCommandIO extends PlanIO, ExecuteIO {
  /** The generic help of `pkt run` (its options). */
  runHelp(): Promise<string>;
}

export async function runCommand(args: RunArgs, io: RunCommandIO, own: OwnOptions): Promise<number> {
  const say = (text: string) => io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  const plan = await planRun(args, io, own);
  if (plan === 'options') {
    await writeText(io.stdout, await io.runHelp());
    return EXIT.OK;
  }
  // Ink and React take a while to load: start now, while the server is being reached.
  if (!plan.help) preloadOutput(plan.mode);
  return withServer(plan.target, io, async (server) => {
    const manifest = await server.manifest();
    const described = requireAction(manifest, plan.action, plan.target.url);
    const fields = describeFields(described?.input);
    if (plan.help) {
      await writeText(io.stdout, `${actionHelp(plan.action, described, fields)}\n${await io.runHelp()}`);
      return EXIT.OK;
    }
    const input = runInput(plan, described, own, manifest !== null);
    // The schema's own rules (bounds, lengths, patterns), checked here rather than by a 422.
    const problems = await schemaProblems(described?.input, input);
    if (problems.length > 0) throw inputError(described?.name ?? plan.action, problems, described);
    if (manifest === null && plan.flags.length > 0 && plan.mode !== 'quiet') {
      // Nothing can check the names (a Piko action may want taskName where --name was typed):
      // say what goes out, rather than send it silently.
      const names = [...new Set(plan.flags.map((f) => f.name))];
      say(`pkt: note: this server has no manifest to check field names against; sending ${names.map((n) => JSON.stringify(n)).join(', ')} as typed`);
    }
    if (plan.detach && server.embedded) {
      say('pkt: note: --detach has no effect on the embedded server, which stops with pkt; use --url with `pkt serve`');
    }
    const end = await executeRun(plan, input, server, io);
    return runExitCode(end, { action: described?.name ?? plan.action, fields, timeoutSet: plan.timeoutMs !== undefined, sent: Object.keys(input) }, say);
  });
}

function actionHelp(name: string, action: ManifestAction | undefined, fields: FieldInfo[]): string {
  if (!action) {
    return [
      `${name}: this server publishes no description of it (no manifest, as on a Piko server, or no such action).`,
      'Field flags are sent as given, with nothing to check them against: --name foo sends the field "name".',
      'Use the field names the action expects, in their case (a Piko action may want --taskName, not --name).',
      'Values are read as JSON where they parse; --input JSON gives the whole input; --file field=@path sends a file.',
      "A Piko server's action names are case-sensitive, as package.Struct: task.Process.",
      '',
    ].join('\n');
  }
  const lines = [
    `pkt run ${action.name}${action.description ? ` — ${action.description}` : ''}`,
    action.streams ? '(streams progress events)' : '(answers once, without streaming)',
    '',
    'Fields:',
    ...fieldLines(fields).map((l) => `  ${l}`),
  ];
  return `${lines.join('\n')}\n`;
}
