// A verb's declaration types what its apply function reads: tsc checks this file with the rest,
// so each `@ts-expect-error` below fails the build if the misuse it marks ever compiles.
import test from 'ava';
import { worldVerb, type VerbInput } from '../../src/sim/commands/spec.js';
import { commandInput, parseCommand, VERBS, type GameVerbInput } from '../../src/sim/index.js';
import { apply, testSession } from '../helpers/world.js';

const RESIZE = {
  verb: 'resize',
  scope: 'world',
  summary: 'a verb declared for this test only',
  args: [{ name: 'volume', kind: 'volume', help: 'volume id' }],
  flags: [
    { name: 'size', kind: 'int', help: 'GiB', required: true },
    { name: 'type', kind: 'volume-type', help: 'type', values: ['gp3', 'io2'] },
    { name: 'force', kind: 'flag', help: 'now' },
  ],
} as const;

test('the input apply receives is typed from the declaration', (t) => {
  const seen: string[] = [];
  const verb = worldVerb(RESIZE, (_world, input) => {
    const volume: string = input.volume;
    const size: number = input.size;
    const type: 'gp3' | 'io2' | undefined = input.type;
    const force: true | undefined = input.force;
    // @ts-expect-error: a misspelt argument does not compile
    seen.push(String(input.volumes));
    // @ts-expect-error: a misspelt flag does not compile
    seen.push(String(input['sise']));
    // @ts-expect-error: an optional flag may be absent
    const present: string = input.type;
    // @ts-expect-error: an int is a number, not text
    const text: string = input.size;
    seen.push(volume, String(size), String(type), String(force), String(present), String(text));
  });
  verb.apply(testSession().world, { volume: 'vol-1', size: 8, force: true } as never, null as never);
  t.deepEqual(seen.slice(2), ['vol-1', '8', 'undefined', 'true', 'undefined', '8']);
  // @ts-expect-error: a value outside the allowed list does not compile
  const wrong: VerbInput<typeof RESIZE>['type'] = 'gp2';
  t.is(String(wrong), 'gp2');
});

test('a game verb is typed from its declaration too', (t) => {
  const note: GameVerbInput<'note'> = { text: 'rebooting web-1' };
  // @ts-expect-error: ack has no text
  const ack: GameVerbInput<'ack'> = { text: 'INC-1' };
  t.truthy(note && ack);
});

test('no verb declares an argument and a flag of the same name, so one input object holds both', (t) => {
  for (const v of VERBS) {
    const names = [...v.args, ...v.flags].map((a) => a.name);
    t.is(new Set(names).size, names.length, v.verb);
  }
});

test('a registered verb applies through its declaration', (t) => {
  const s = testSession();
  apply(s.world, 'allocate-address');
  t.is(Object.keys(s.world.elasticIps).length, 1);
  t.is(parseCommand('modify-volume vol-1 --type io2').flags.type, 'io2');
});

test("a recorded command is read back through its verb's declaration", (t) => {
  const cmd = parseCommand('stop web-1 --force');
  const stop = commandInput(cmd, 'stop');
  t.deepEqual(stop, { instance: 'web-1', force: true });
  t.is(commandInput(cmd, 'launch'), null);
  // @ts-expect-error: a misspelt flag of a registered verb does not compile
  t.is(stop?.forse, undefined);
  // @ts-expect-error: nor does a verb that does not exist
  t.is(commandInput(cmd, 'stpo'), null);
});
