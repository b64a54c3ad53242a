#!/usr/bin/env node
import { startBerthd } from './berthd.js';
// berthd: parse flags and the config file, start the daemon, stop gracefully on SIGTERM/SIGINT
// (containers keep running; the next start reattaches to them).
import { parseArgs, resolveConfig } from './cli.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  let cfg: ReturnType<typeof resolveConfig>;
  try {
    parsed = parseArgs(process.argv.slice(2));
    if (parsed.help || parsed.version) return;
    cfg = resolveConfig(parsed.flags);
  } catch (e) {
    process.stderr.write(`berthd: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write('berthd: must run as root (it creates namespaces, cgroups and mounts)\n');
    process.exit(1);
  }
  const logger = createLogger(cfg.logLevel);
  let daemon: Awaited<ReturnType<typeof startBerthd>>;
  try {
    daemon = await startBerthd(cfg, logger);
  } catch (e) {
    logger.fatal({ err: (e as Error).message }, 'berthd failed to start');
    process.exit(1);
  }
  logger.info(
    { dataRoot: cfg.dataRoot, execRoot: cfg.execRoot, hosts: cfg.hosts },
    'daemon has completed initialization',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'processing signal, shutting down (containers keep running)');
    const force = setTimeout(() => {
      logger.error({}, 'shutdown took too long, exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    daemon
      .close()
      .then(() => {
        logger.info({}, 'daemon shut down');
        process.exit(0);
      })
      .catch((e) => {
        logger.error({ err: String(e) }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => logger.info({}, 'SIGHUP: configuration reload is not supported yet'));
}

void main();
