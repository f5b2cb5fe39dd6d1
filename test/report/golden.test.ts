// Golden reports: two levels, two seeds each, in every format, byte for byte. A change to the
// model or the report changes them on purpose: regenerate with
//   npm run build:tests && UPDATE_GOLDEN=1 npx ava build/test/report/golden.test.js
// and read the diff before committing it.
import test from 'ava';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadLevel } from '../../src/cli/files.js';
import { runExercise } from '../../src/cli/batch.js';
import { parseScript } from '../../src/game/script.js';
import { renderReport, REPORT_FORMATS } from '../../src/report/index.js';
import { reportValidator } from './validator.js';

const { ajv, validate } = reportValidator();

const CASES = [
  { level: '02-dead-host', seeds: ['1', '2'], script: 'test/fixtures/levels/02-dead-host.loss.txt' },
  { level: '03-spot-reclaim', seeds: ['1', '2'], script: 'test/fixtures/reports/03-spot-reclaim.no-sg.txt' },
];

for (const c of CASES) {
  for (const seed of c.seeds) {
    test(`${c.level} seed ${seed}: md, json and html match their golden files and repeat byte for byte`, (t) => {
      const level = loadLevel(c.level);
      const script = parseScript(readFileSync(c.script, 'utf8'), c.script);
      // As the command line gives it: the script's file name.
      const context = { script: basename(c.script) };
      const [one, two] = [runExercise(level, seed, script, 'trainee'), runExercise(level, seed, script, 'trainee')];
      for (const format of REPORT_FORMATS) {
        const first = renderReport(one, format, context);
        t.is(renderReport(two, format, context), first, `${format} differs between two runs`);
        const golden = `test/fixtures/reports/${c.level}-seed-${seed}.${format}`;
        if (process.env.UPDATE_GOLDEN) writeFileSync(golden, first);
        t.true(existsSync(golden), `${golden} is missing: UPDATE_GOLDEN=1 writes it`);
        t.is(first, readFileSync(golden, 'utf8'), `${golden} is out of date`);
        if (format === 'json') t.true(validate(JSON.parse(first)), ajv.errorsText(validate.errors));
      }
    });
  }
}
