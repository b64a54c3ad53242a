// A supervisor in its own process for the recovery test: opens the root given in argv[2] (JSON
// options), creates and starts the containers of argv[3] (JSON [{ id, spec, execs? }]) and their
// execs ([{ id, args, start? }]: detached, started unless start is false), prints "ready" and then
// idles until it is killed (kill -9: nothing of the supervisor gets to clean up).
import { Supervisor } from '../dist/index.js';

const options = JSON.parse(process.argv[2]);
const containers = JSON.parse(process.argv[3]);
const sup = await Supervisor.open(options);
for (const c of containers) {
  await sup.containers.create('default', { id: c.id, spec: c.spec });
  await sup.tasks.create('default', c.id);
  await sup.tasks.start('default', c.id);
  for (const e of c.execs ?? []) {
    await sup.tasks.exec('default', c.id, e.id, { process: { args: e.args } });
    if (e.start !== false) await sup.tasks.start('default', c.id, { execId: e.id });
  }
}
process.stdout.write(`ready ${sup.backend}\n`);
setInterval(() => {}, 60_000);
