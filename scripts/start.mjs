// `npm start`: install what is missing, build the app, serve it on localhost and print the URL.
import { spawn, spawnSync } from 'node:child_process';
import { ensureDeps } from './ensure-deps.mjs';

ensureDeps();
const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const port = process.env.PORT ?? '5173';
const host = process.env.HOST ?? '127.0.0.1';
const server = spawn('npx', ['vite', 'preview', '--port', port, '--host', host, '--strictPort'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let announced = false;
server.stdout.on('data', (chunk) => {
  if (!announced && /Local/.test(String(chunk))) {
    announced = true;
    console.log(`\nMicrokit Studio is running at http://${host}:${port}/\n(press Ctrl+C to stop)`);
  }
});
server.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
