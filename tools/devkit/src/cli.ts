import 'reflect-metadata';

/** Entry of the npm scripts (through bin/bootstrap.sh, which installs what is missing first). */
async function main() {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'dev':
      return (await import('./dev')).dev();
    case 'test':
      return (await import('./test-run')).testRun(args);
    case 'migrate':
      return (await import('./commands')).migrate();
    case 'backup':
      return (await import('./commands')).backupCommand(args);
    case 'restore':
      return (await import('./commands')).restoreCommand(args);
    case 'seed':
      return (await import('./commands')).seed(args);
    case 'import':
      return (await import('./commands')).importFile(args);
    case 'gen-client':
      return (await import('./openapi/client')).generateClient(args, (line) =>
        process.stdout.write(`[精准] ${line}\n`),
      );
    case 'follow-ups':
      return (await import('./commands')).followUps();
    default:
      throw new Error(
        `未知命令 ${command}; 可用: dev, test, gen-client, migrate, backup, restore, seed, import, follow-ups (基准: bench/cli.ts)`,
      );
  }
}

main().then(
  () => {
    if (process.argv[2] !== 'dev') process.exit(process.exitCode ?? 0);
  },
  (err) => {
    process.stderr.write(`\x1b[31m[精准] ${err instanceof Error ? err.message : String(err)}\x1b[0m\n`);
    if (process.env.JZ_DEBUG) console.error(err);
    process.exit(1);
  },
);
